/**
 * `--host` handling (ctl spec §1.2): multiaddresses to HTTP targets, with DNS
 * names resolved into several fail-over targets when not using HTTPS.
 */
import { lookup } from 'node:dns/promises'
import { multiaddr } from '@multiformats/multiaddr'
import type { Target } from './client.js'

/** A host multiaddress could not be parsed (`error parsing host multiaddress`). */
export class InvalidHostError extends Error {
  static name = 'InvalidHostError'
  constructor (message: string) {
    super(message)
    this.name = 'InvalidHostError'
  }
}

/** The host needs the libp2p-http transport, which the ctl does not have. */
export class Libp2pHostError extends Error {
  static name = 'Libp2pHostError'
  constructor (message = 'libp2p hosts are not supported yet') {
    super(message)
    this.name = 'Libp2pHostError'
  }
}

/** A DNS name did not resolve (`error creating configs`). */
export class ResolveError extends Error {
  static name = 'ResolveError'
  constructor (message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = 'ResolveError'
  }
}

/** A parsed host address. */
export type HostAddr =
  | { kind: 'unix', path: string }
  | { kind: 'peer', text: string }
  | { kind: 'ip', family: 4 | 6, host: string, port: number }
  | { kind: 'dns', family: 0 | 4 | 6, host: string, port: number }

/** Parses one `--host` element like Go's `ma.NewMultiaddr` (messages approximated). */
export function parseHost (s: string): HostAddr {
  if (!s.startsWith('/')) throw new InvalidHostError(`failed to parse multiaddr "${s}": must begin with /`)
  // /unix is a path protocol: the rest of the string is the socket path
  const u = s.indexOf('/unix/')
  if (u === 0) return { kind: 'unix', path: s.slice(5) }
  let comps
  try {
    comps = multiaddr(s).getComponents()
  } catch (err: any) {
    throw new InvalidHostError(`failed to parse multiaddr "${s}": ${String(err?.message ?? err)}`)
  }
  if (comps.some((c) => c.name === 'p2p' || c.name === 'dnsaddr')) return { kind: 'peer', text: s }
  const [a, b] = comps
  if (a == null || b == null || b.name !== 'tcp') throw new InvalidHostError(`failed to parse multiaddr "${s}": only /ip4, /ip6 and /dns* addresses with /tcp are supported`)
  const port = Number(b.value)
  const host = a.value ?? ''
  switch (a.name) {
    case 'ip4': return { kind: 'ip', family: 4, host, port }
    case 'ip6': return { kind: 'ip', family: 6, host, port }
    case 'dns': return { kind: 'dns', family: 0, host, port }
    case 'dns4': return { kind: 'dns', family: 4, host, port }
    case 'dns6': return { kind: 'dns', family: 6, host, port }
    default: throw new InvalidHostError(`failed to parse multiaddr "${s}": unsupported protocol ${a.name}`)
  }
}

function hostPort (host: string, port: number, family: number): string {
  return family === 6 ? `[${host}]:${port}` : `${host}:${port}`
}

/**
 * Targets for one host: unix socket, IP, or DNS (resolved to every address
 * unless `https`, where the name is kept for TLS). Throws Libp2pHostError,
 * ResolveError.
 */
export async function targetsFor (addr: HostAddr, https: boolean): Promise<Target[]> {
  const net = https ? 'https' : 'http'
  switch (addr.kind) {
    case 'unix': return [{ net: 'http+unix', hostname: 'restapi', socketPath: addr.path }]
    case 'peer': throw new Libp2pHostError()
    case 'ip': return [{ net, hostname: hostPort(addr.host, addr.port, addr.family), host: addr.host, port: addr.port }]
    case 'dns': {
      if (https) return [{ net, hostname: hostPort(addr.host, addr.port, 4), host: addr.host, port: addr.port }]
      let found
      try {
        found = await lookup(addr.host, { all: true, family: addr.family })
      } catch (err: any) {
        throw new ResolveError(`lookup ${addr.host}: no such host`, { cause: err })
      }
      if (found.length === 0) throw new ResolveError(`resolving /dns${addr.family === 0 ? '' : addr.family}/${addr.host}/tcp/${addr.port} returned 0 results`)
      return found.map((f) => ({ net, hostname: hostPort(f.address, addr.port, f.family), host: f.address, port: addr.port }))
    }
  }
}
