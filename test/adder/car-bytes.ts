/** Test helper: the bytes of a CAR v1 made with @ipld/car's writer. */
import { CarWriter } from '@ipld/car'
import type { CID } from 'multiformats/cid'

export async function carBytes (roots: CID[], blocks: Array<{ cid: CID, bytes: Uint8Array }>): Promise<Buffer> {
  const { writer, out } = CarWriter.create(roots)
  const collected = (async () => {
    const parts: Uint8Array[] = []
    for await (const c of out) parts.push(c)
    return Buffer.concat(parts)
  })()
  for (const b of blocks) await writer.put(b)
  await writer.close()
  return await collected
}
