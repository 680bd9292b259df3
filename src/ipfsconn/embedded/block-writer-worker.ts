/**
 * The block writer's thread (block-writer.ts): writes each block file with synchronous
 * calls, in the order received. Each block is: does it exist, open a temporary file
 * beside it, write, close, rename; on the event loop these were five hand-offs to libuv's
 * pool per block, each waking a thread that then competed with the main thread.
 */
import { closeSync, existsSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs'
import path from 'node:path'
import { parentPort, workerData } from 'node:worker_threads'
import type { WriteReply, WriteRequest } from './block-writer.js'

/** The ring the blocks are copied into (block-writer.ts). */
const ring: SharedArrayBuffer = workerData.ring

/** Folders known to exist (a block is never written without its folder). */
const folders = new Set<string>()

function openTmp (folder: string, tmp: string): number {
  if (!folders.has(folder)) {
    mkdirSync(folder, { recursive: true })
    folders.add(folder)
  }
  try {
    return openSync(tmp, 'w')
  } catch (err: any) {
    if (err.code !== 'ENOENT') throw err
    // the folder went away (removed by hand): create it again
    mkdirSync(folder, { recursive: true })
    return openSync(tmp, 'w')
  }
}

/** Writes one block file as blockstore-fs does: a temporary `.<name>.tmp`, then a rename. */
function writeBlock ({ file, offset, length, bytes: sent }: WriteRequest): boolean {
  if (existsSync(file)) return false
  const bytes = sent ?? new Uint8Array(ring, offset, length)
  const folder = path.dirname(file)
  const tmp = path.join(folder, `.${path.basename(file)}.tmp`)
  const fd = openTmp(folder, tmp)
  try {
    for (let off = 0; off < bytes.byteLength;) {
      off += writeSync(fd, bytes, off, bytes.byteLength - off)
    }
  } finally {
    closeSync(fd)
  }
  try {
    renameSync(tmp, file)
  } catch (err: any) {
    // as blockstore-fs: another writer of the same block got there first
    if (!['ENOENT', 'EPERM'].includes(err.code) || !existsSync(file)) throw err
    return false
  }
  return true
}

parentPort?.on('message', (batch: WriteRequest[]) => {
  const replies: WriteReply[] = batch.map((req) => {
    try {
      return { id: req.id, written: writeBlock(req) }
    } catch (err: any) {
      return { id: req.id, written: false, error: { message: err.message, code: err.code } }
    }
  })
  parentPort?.postMessage(replies)
})
