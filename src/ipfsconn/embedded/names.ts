/**
 * `/ipns/` path resolution, as Kubo's namesys behind `resolve`: an IPNS name (peer ID or
 * libp2p-key CID) is looked up as an IPNS record, a domain as a DNSLink TXT record; a
 * value naming another `/ipns/` path is followed (at most MAX_NAME_DEPTH steps), and the
 * path after each name is kept.
 */
import { ipnsResolver } from '@helia/ipns'
import { RecordType } from '@multiformats/dns'
import { base58btc } from 'multiformats/bases/base58'
import { CID } from 'multiformats/cid'
import * as Digest from 'multiformats/hashes/digest'
import { NameResolutionError } from './errors.js'
import type { IPNSResolver } from '@helia/ipns'
import type { Keychain, Routing } from '@helia/interface'
import type { AbortOptions, ComponentLogger, Logger } from '@libp2p/interface'
import type { DNS } from '@multiformats/dns'
import type { Datastore } from 'interface-datastore'
import type { MultihashDigest } from 'multiformats/hashes/interface'

/** Names followed before giving up (Kubo's namesys `DefaultDepthLimit`). */
export const MAX_NAME_DEPTH = 32

const LIBP2P_KEY_CODEC = 0x72
const DNSLINK_PREFIX = 'dnslink='
/** A DNS name with at least two labels (Kubo only tries DNSLink for domain-like names). */
const DOMAIN = /^(?=.{1,253}\.?$)(?:[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?\.)+[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.?$/i

export interface NameResolverComponents {
  /** Holds the IPNS record store (records published here or resolved before). */
  datastore: Datastore
  /** Helia's routing: its `get` reaches the DHT when routing is on. */
  routing: Routing
  keychain: Keychain
  dns: DNS
  logger: ComponentLogger
}

export interface NameResolverInit {
  /** Ask the routing for IPNS records; false = the local record store only. */
  online: boolean
  /** How many peers the DHT routing table holds (for error messages); undefined = no DHT. */
  dhtPeers?: () => number | undefined
}

/**
 * Resolves `/ipns/` paths to `/ipfs/` (or `/ipld/`) paths. Throws NameResolutionError,
 * or the signal's reason when `options.signal` aborts.
 */
export class NameResolver {
  private readonly ipns: IPNSResolver
  private readonly dns: DNS
  private readonly init: NameResolverInit
  private readonly log: Logger

  constructor (components: NameResolverComponents, init: NameResolverInit) {
    this.ipns = ipnsResolver(components)
    this.dns = components.dns
    this.init = init
    this.log = components.logger.forComponent('cluster:ipfsembedded:names')
  }

  /** `/ipns/<name>[/rest]` → the immutable path it points to, with `rest` appended. */
  async resolve (path: string, options: AbortOptions = {}): Promise<string> {
    let current = path
    for (let depth = 0; depth < MAX_NAME_DEPTH; depth++) {
      const { namespace, name, rest } = splitPath(current)
      if (namespace !== 'ipns') return trimSlashes(current)
      if (name === '') throw new NameResolutionError(`resolve ${path}: empty IPNS name`)
      let target: string
      try {
        // a resolver that ignores the signal (a stuck DNS server) must not outlive it
        target = await raceSignal(this.resolveOnce(name, options), options.signal)
      } catch (err: any) {
        options.signal?.throwIfAborted()
        const reason = err instanceof NameResolutionError ? err.message : `could not resolve name "${name}": ${err?.message ?? String(err)}`
        throw new NameResolutionError(`resolve ${path}: ${reason}`, { cause: err })
      }
      this.log('%s -> %s', name, target)
      current = joinPath(target, rest)
    }
    if (splitPath(current).namespace !== 'ipns') return trimSlashes(current)
    throw new NameResolutionError(`resolve ${path}: could not resolve name (recursion limit of ${MAX_NAME_DEPTH} exceeded)`)
  }

  /** One step: the value (a path) the name points to. */
  private async resolveOnce (name: string, options: AbortOptions): Promise<string> {
    const key = ipnsKey(name)
    if (key != null) return await this.resolveRecord(name, key, options)
    if (DOMAIN.test(name)) return await this.resolveDNSLink(name.replace(/\.$/, '').toLowerCase(), options)
    throw new NameResolutionError(`could not resolve name "${name}": not a peer ID, libp2p-key CID or domain name`)
  }

  private async resolveRecord (name: string, key: MultihashDigest, options: AbortOptions): Promise<string> {
    let value: string | undefined
    try {
      // the resolver follows /ipns/ values itself; take one step so the depth limit and
      // DNSLink targets are handled here
      for await (const result of this.ipns.resolve(key, { signal: options.signal, offline: !this.init.online })) {
        value = result.value
        break
      }
    } catch (err: any) {
      if (err?.name !== 'RecordNotFoundError') throw err
      throw new NameResolutionError(`could not resolve name "${name}": ${this.notFoundReason()}`, { cause: err })
    }
    if (value == null) throw new NameResolutionError(`could not resolve name "${name}": ${this.notFoundReason()}`)
    if (value.startsWith('/')) return value
    // very old records hold a bare CID
    try {
      return `/ipfs/${CID.parse(value).toString()}`
    } catch {
      throw new NameResolutionError(`could not resolve name "${name}": invalid value in IPNS record: ${JSON.stringify(value)}`)
    }
  }

  private notFoundReason (): string {
    if (!this.init.online) return 'no IPNS record in the local record store (routing is "none")'
    const peers = this.init.dhtPeers?.()
    return `no IPNS record found in the local record store or the DHT (${peers ?? 0} DHT peer${peers === 1 ? '' : 's'} connected)`
  }

  /**
   * The DNSLink path of `domain`: TXT `dnslink=<path>` at `_dnslink.<domain>`, else at
   * `<domain>` itself; several different paths are an error (as Kubo).
   */
  private async resolveDNSLink (domain: string, options: AbortOptions): Promise<string> {
    const [sub, bare] = await Promise.allSettled([
      this.dnsLinks(`_dnslink.${domain}`, options),
      this.dnsLinks(domain, options)
    ])
    options.signal?.throwIfAborted()
    for (const r of [sub, bare]) {
      if (r.status !== 'fulfilled' || r.value.length === 0) continue
      const links = [...new Set(r.value)]
      if (links.length > 1) {
        throw new NameResolutionError(`could not resolve name "${domain}": DNSLink lookup returned more than one path (${links.join(', ')}); ask the domain owner to remove the duplicate TXT records`)
      }
      return links[0]
    }
    const failed = [sub, bare].find((r): r is PromiseRejectedResult => r.status === 'rejected')
    const why = failed != null ? `: ${dnsError(failed.reason)}` : ''
    throw new NameResolutionError(`could not resolve name "${domain}": DNSLink lookup failed, no valid dnslink TXT record at _dnslink.${domain} or ${domain}${why}`, { cause: failed?.reason })
  }

  /** The valid DNSLink paths in the TXT records of `fqdn` (none when it has no TXT records). */
  private async dnsLinks (fqdn: string, options: AbortOptions): Promise<string[]> {
    let answers
    try {
      answers = (await this.dns.query(fqdn, { signal: options.signal, types: [RecordType.TXT] })).Answer
    } catch (err: any) {
      // no such name or no TXT record: nothing here
      if (isEmptyAnswer(err)) return []
      throw err
    }
    const links: string[] = []
    for (const answer of answers) {
      if (answer.type !== RecordType.TXT) continue
      let text = answer.data.trim()
      if (text.length >= 2 && text.startsWith('"') && text.endsWith('"')) text = text.slice(1, -1)
      if (!text.startsWith(DNSLINK_PREFIX)) continue
      const link = validLink(text.slice(DNSLINK_PREFIX.length).trim())
      if (link != null) links.push(link)
      else this.log('ignoring invalid DNSLink record of %s: %s', fqdn, text)
    }
    return links
  }
}

/** The IPNS key of a peer ID (base58) or libp2p-key CID, or undefined for anything else. */
export function ipnsKey (name: string): MultihashDigest | undefined {
  if (name.startsWith('1') || name.startsWith('Q')) {
    try {
      return Digest.decode(base58btc.baseDecode(name))
    } catch {
      return undefined
    }
  }
  try {
    const cid = CID.parse(name)
    return cid.code === LIBP2P_KEY_CODEC ? cid.multihash : undefined
  } catch {
    return undefined
  }
}

function splitPath (path: string): { namespace: string, name: string, rest: string } {
  const m = /^\/([^/]*)\/([^/]*)(.*)$/s.exec(path)
  if (m == null) return { namespace: '', name: '', rest: path }
  return { namespace: m[1], name: m[2], rest: m[3] }
}

/** `path` without trailing slashes (`/ipfs/<cid>/dir/` names the same node as `/ipfs/<cid>/dir`). */
function trimSlashes (path: string): string {
  return path.replace(/\/+$/, '')
}

/** `target` followed by `rest` (which starts with '/' or is empty). */
function joinPath (target: string, rest: string): string {
  if (rest === '' || rest === '/') return target
  return target.replace(/\/+$/, '') + rest
}

/** A DNSLink value that is an `/ipfs/<cid>[…]`, `/ipld/<cid>[…]` or `/ipns/<name>[…]` path. */
function validLink (value: string): string | undefined {
  const { namespace, name } = splitPath(value)
  if (name === '') return undefined
  if (namespace === 'ipns') return value
  if (namespace !== 'ipfs' && namespace !== 'ipld') return undefined
  try {
    CID.parse(name)
    return value
  } catch {
    return undefined
  }
}

/** @multiformats/dns reports "no such name" and "no answers" as (aggregate) errors. */
function isEmptyAnswer (err: any): boolean {
  if (err?.code === 'ENOTFOUND' || err?.code === 'ENODATA' || err?.name === 'EmptyDNSAnswerError') return true
  if (err?.name === 'DNSQueryFailedError' && Array.isArray(err.errors) && err.errors.length > 0) {
    return err.errors.every((e: any) => isEmptyAnswer(e))
  }
  return false
}

/** `work`, or the signal's reason as soon as it aborts (a late failure of `work` is dropped). */
async function raceSignal<T> (work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal == null) return await work
  work.catch(() => {})
  signal.throwIfAborted()
  let onAbort = (): void => {}
  const aborted = new Promise<never>((_resolve, reject) => {
    onAbort = () => { reject(signal.reason) }
    signal.addEventListener('abort', onAbort, { once: true })
  })
  try {
    return await Promise.race([work, aborted])
  } finally {
    signal.removeEventListener('abort', onAbort)
  }
}

function dnsError (err: any): string {
  if (Array.isArray(err?.errors) && err.errors.length > 0) return err.errors.map(dnsError).join('; ')
  return err?.message ?? String(err)
}
