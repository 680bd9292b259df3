/**
 * A tiny readers/writer lock: pins and unpins share it, repo GC takes it alone
 * (as Kubo's PinLock vs GCLock), so GC never deletes blocks a pin is fetching.
 * Writers are preferred so a steady stream of pins cannot starve GC.
 */
export interface RWLock {
  /** Resolves with a release function once no writer holds or waits for the lock. */
  readLock: () => Promise<() => void>
  /** Resolves with a release function once nobody else holds the lock. */
  writeLock: () => Promise<() => void>
}

export function createRWLock (): RWLock {
  let readers = 0
  let writing = false
  const waitingWriters: Array<() => void> = []
  let waitingReaders: Array<() => void> = []

  const wake = (): void => {
    if (writing) return
    if (waitingWriters.length > 0) {
      if (readers === 0) {
        writing = true
        waitingWriters.shift()?.()
      }
      return
    }
    const rs = waitingReaders
    waitingReaders = []
    readers += rs.length
    for (const r of rs) r()
  }

  const once = (fn: () => void): () => void => {
    let done = false
    return () => {
      if (done) return
      done = true
      fn()
    }
  }

  return {
    readLock: async () => {
      if (!writing && waitingWriters.length === 0) {
        readers++
      } else {
        await new Promise<void>((resolve) => { waitingReaders.push(resolve) })
      }
      return once(() => { readers--; wake() })
    },
    writeLock: async () => {
      if (!writing && readers === 0 && waitingWriters.length === 0) {
        writing = true
      } else {
        await new Promise<void>((resolve) => { waitingWriters.push(resolve) })
      }
      return once(() => { writing = false; wake() })
    }
  }
}
