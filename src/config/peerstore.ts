/**
 * The peerstore file: one multiaddress per line, each ending in
 * `/p2p/<peerID>` (Go `pstoremgr`).
 */
import { readFile, writeFile } from 'node:fs/promises'

/** Writes the addresses, one per line (an empty file when there are none). */
export async function writePeerstore (path: string, addrs: readonly string[]): Promise<void> {
  await writeFile(path, addrs.map((a) => `${a}\n`).join(''), { mode: 0o600 })
}

/**
 * Reads the addresses in file order; empty lines and lines not starting with
 * `/` are skipped. A missing file reads as no addresses.
 */
export async function readPeerstore (path: string): Promise<string[]> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (err: any) {
    if (err.code === 'ENOENT') return []
    throw err
  }
  return text.split('\n').map((l) => l.trim()).filter((l) => l.startsWith('/'))
}

/** The peer ID of a `/p2p/<id>` multiaddress, or undefined. */
export function peerIdOfAddr (addr: string): string | undefined {
  const m = /\/(?:p2p|ipfs)\/([^/]+)\/?$/.exec(addr)
  return m?.[1]
}
