/** Listen multiaddrs to socket targets and back (Go `manet.DialArgs` / `manet.FromNetAddr`). */
import type { AddressInfo } from 'node:net'
import { InvalidArgumentError } from '../../interface/errors.js'

/** Where a server listens. */
export type ListenTarget =
  | { kind: 'tcp', host: string, port: number }
  | { kind: 'unix', path: string }

/**
 * Parses `/ip4/<a>/tcp/<p>`, `/ip6/<a>/tcp/<p>`, `/dns[46]/<host>/tcp/<p>` or
 * `/unix/<path>`. Throws InvalidArgumentError for anything else.
 */
export function listenTarget (addr: string): ListenTarget {
  if (addr.startsWith('/unix/')) return { kind: 'unix', path: addr.slice('/unix'.length) }
  const m = /^\/(ip4|ip6|dns|dns4|dns6)\/([^/]+)\/tcp\/(\d+)\/?$/.exec(addr)
  if (m == null) throw new InvalidArgumentError(`cannot listen on multiaddress ${addr}`)
  const port = Number(m[3])
  if (port > 65535) throw new InvalidArgumentError(`cannot listen on multiaddress ${addr}: bad port`)
  return { kind: 'tcp', host: m[2], port }
}

/** The multiaddr of a listening server's address. */
export function multiaddrForAddress (a: AddressInfo | string | null): string {
  if (a == null) return ''
  if (typeof a === 'string') return `/unix${a}`
  return `/${a.family === 'IPv6' ? 'ip6' : 'ip4'}/${a.address}/tcp/${a.port}`
}
