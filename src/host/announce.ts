/**
 * The `no_announce_multiaddress` filter (as Go's address factory): an entry with an
 * `/ipcidr` part removes every address whose IP is in that network, any other entry
 * removes that exact address. js-libp2p accepts `noAnnounce` but ignores it.
 */
import { BlockList } from 'node:net'
import { multiaddr } from '@multiformats/multiaddr'
import type { Multiaddr } from '@multiformats/multiaddr'

const P2P = 'p2p'

/** The address without a trailing `/p2p/<id>`, as a string. */
function withoutPeer (ma: Multiaddr): string {
  const parts = ma.getComponents()
  if (parts.at(-1)?.name === P2P) parts.pop()
  return multiaddr(parts).toString()
}

function ipOf (ma: Multiaddr): { ip: string, family: 'ipv4' | 'ipv6' } | undefined {
  const first = ma.getComponents()[0]
  if (first?.value == null) return undefined
  if (first.name === 'ip4') return { ip: first.value, family: 'ipv4' }
  if (first.name === 'ip6') return { ip: first.value, family: 'ipv6' }
  return undefined
}

/**
 * Returns a filter dropping the addresses `noAnnounce` names. Throws (from the
 * multiaddr parser) when an entry is not a multiaddress.
 */
export function noAnnounceFilter (noAnnounce: readonly string[]): (addrs: Multiaddr[]) => Multiaddr[] {
  if (noAnnounce.length === 0) return (addrs) => addrs
  const exact = new Set<string>()
  const nets = new BlockList()
  for (const entry of noAnnounce) {
    const ma = multiaddr(entry)
    const cidr = ma.getComponents().find((c) => c.name === 'ipcidr')
    const ip = ipOf(ma)
    if (cidr?.value != null && ip != null) {
      nets.addSubnet(ip.ip, Number(cidr.value), ip.family)
    } else {
      exact.add(withoutPeer(ma))
    }
  }
  return (addrs) => addrs.filter((ma) => {
    if (exact.has(withoutPeer(ma))) return false
    const ip = ipOf(ma)
    return ip == null || !nets.check(ip.ip, ip.family)
  })
}
