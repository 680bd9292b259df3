/**
 * `--randomports`: replaces the TCP/UDP ports of multiaddresses with free
 * ports (Go `cmdutils.RandomizePorts`). Every probe stays open until all
 * lists are done, so the ports handed out are distinct.
 */
import { createServer } from 'node:net'
import type { Server } from 'node:net'
import { createSocket } from 'node:dgram'
import type { Socket } from 'node:dgram'

type Probe = Server | Socket

function listenTcp (host: string): Promise<{ port: number, probe: Probe }> {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.once('error', reject)
    srv.listen({ host, port: 0, exclusive: true }, () => {
      const addr = srv.address()
      resolve({ port: typeof addr === 'object' && addr != null ? addr.port : 0, probe: srv })
    })
  })
}

function listenUdp (host: string): Promise<{ port: number, probe: Probe }> {
  return new Promise((resolve, reject) => {
    const sock = createSocket(host.includes(':') ? 'udp6' : 'udp4')
    sock.once('error', reject)
    sock.bind({ address: host, port: 0, exclusive: true }, () => {
      resolve({ port: sock.address().port, probe: sock })
    })
  })
}

async function freePort (proto: string, host: string, probes: Probe[]): Promise<number> {
  const listen = proto === 'udp' ? listenUdp : listenTcp
  let res
  try {
    res = await listen(host)
  } catch {
    // e.g. no IPv6 on this machine: any free port on IPv4 will do
    res = await listen('0.0.0.0')
  }
  probes.push(res.probe)
  return res.port
}

function closeProbe (p: Probe): Promise<void> {
  return new Promise((resolve) => {
    if ('setBroadcast' in p) p.close(() => { resolve() })
    else p.close(() => { resolve() })
  })
}

/** Returns each list with every `/tcp/N` and `/udp/N` port replaced by a free one. */
export async function randomizePorts (lists: ReadonlyArray<readonly string[]>): Promise<string[][]> {
  const probes: Probe[] = []
  try {
    const out: string[][] = []
    for (const list of lists) {
      const res: string[] = []
      for (const addr of list) {
        const parts = addr.split('/')
        for (let i = 1; i + 1 < parts.length; i++) {
          if ((parts[i] === 'tcp' || parts[i] === 'udp') && /^\d+$/.test(parts[i + 1])) {
            const host = (parts[i - 2] === 'ip4' || parts[i - 2] === 'ip6') ? parts[i - 1] : '0.0.0.0'
            parts[i + 1] = String(await freePort(parts[i], host, probes))
          }
        }
        res.push(parts.join('/'))
      }
      out.push(res)
    }
    return out
  } finally {
    await Promise.all(probes.map(closeProbe))
  }
}
