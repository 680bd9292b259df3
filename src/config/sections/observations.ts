/**
 * `observations.metrics` and `observations.tracing` (Go `observations/config.go`).
 * Booleans and values are copied verbatim; the endpoints must be multiaddresses.
 */
import type { SectionCodec } from '../section.js'
import { bool, dur, goDur, multiaddrError, num, str } from '../fields.js'

/** `observations.metrics` (interval in ms). */
export interface MetricsConfig { enableStats: boolean, prometheusEndpoint: string, reportingInterval: number }

/** Codec for `observations.metrics`. */
export const metricsSection: SectionCodec<MetricsConfig> = {
  group: 'observations',
  key: 'metrics',
  envPrefix: 'CLUSTER_METRICS',
  envSchema: { enable_stats: 'bool', prometheus_endpoint: 'string', reporting_interval: 'string' },
  defaults: () => ({ enableStats: false, prometheusEndpoint: '/ip4/127.0.0.1/tcp/8888', reportingInterval: 30_000 }),
  parse: (json, base, ctx) => {
    const endpoint = str(ctx, 'metrics', json, 'prometheus_endpoint')
    const e = endpoint === '' ? 'empty multiaddr' : multiaddrError(endpoint)
    if (e != null) ctx.problems.push(`loadMetricsOptions: PrometheusEndpoint multiaddr: ${e}`)
    return {
      enableStats: bool(ctx, 'metrics', json, 'enable_stats'),
      prometheusEndpoint: endpoint,
      reportingInterval: dur(ctx, 'metrics', json, 'reporting_interval', base.reportingInterval, 'metrics.reporting_interval')
    }
  },
  toJson: (cfg) => ({
    enable_stats: cfg.enableStats,
    prometheus_endpoint: cfg.prometheusEndpoint,
    reporting_interval: goDur(cfg.reportingInterval)
  }),
  validate: (cfg, ctx) => {
    if (!cfg.enableStats) return
    if (cfg.prometheusEndpoint === '') ctx.problems.push('metrics.prometheus_endpoint is undefined')
    if (cfg.reportingInterval < 0) ctx.problems.push('metrics.reporting_interval is invalid')
  }
}

/** `observations.tracing`. */
export interface TracingConfig { enableTracing: boolean, jaegerAgentEndpoint: string, samplingProb: number, serviceName: string }

/** Codec for `observations.tracing`. */
export const tracingSection: SectionCodec<TracingConfig> = {
  group: 'observations',
  key: 'tracing',
  envPrefix: 'CLUSTER_TRACING',
  envSchema: { enable_tracing: 'bool', jaeger_agent_endpoint: 'string', sampling_prob: 'number', service_name: 'string' },
  defaults: () => ({ enableTracing: false, jaegerAgentEndpoint: '/ip4/0.0.0.0/udp/6831', samplingProb: 0.3, serviceName: 'cluster-daemon' }),
  parse: (json, _base, ctx) => {
    const endpoint = str(ctx, 'tracing', json, 'jaeger_agent_endpoint')
    const e = endpoint === '' ? 'empty multiaddr' : multiaddrError(endpoint)
    if (e != null) ctx.problems.push(`loadTracingOptions: JaegerAgentEndpoint multiaddr: ${e}`)
    return {
      enableTracing: bool(ctx, 'tracing', json, 'enable_tracing'),
      jaegerAgentEndpoint: endpoint,
      samplingProb: num(ctx, 'tracing', json, 'sampling_prob'),
      serviceName: str(ctx, 'tracing', json, 'service_name')
    }
  },
  toJson: (cfg) => ({
    enable_tracing: cfg.enableTracing,
    jaeger_agent_endpoint: cfg.jaegerAgentEndpoint,
    sampling_prob: cfg.samplingProb,
    service_name: cfg.serviceName
  }),
  validate: (cfg, ctx) => {
    if (!cfg.enableTracing) return
    if (cfg.jaegerAgentEndpoint === '') ctx.problems.push('tracing.jaeger_agent_endpoint is undefined')
    if (cfg.samplingProb < 0) ctx.problems.push('tracing.sampling_prob is invalid')
  }
}
