/**
 * A bounded FIFO with amortised O(1) push and shift (an Array's `shift()` is
 * O(n), which a queue of a million operations cannot afford).
 */
export class BoundedQueue<T> {
  private items: Array<T | undefined> = []
  private head = 0
  readonly capacity: number

  constructor (capacity: number) {
    this.capacity = capacity
  }

  get size (): number {
    return this.items.length - this.head
  }

  /** Appends `item`; false when the queue is full. */
  push (item: T): boolean {
    if (this.size >= this.capacity) return false
    this.items.push(item)
    return true
  }

  /** Removes and returns the oldest item. */
  shift (): T | undefined {
    if (this.head >= this.items.length) return undefined
    const item = this.items[this.head]
    this.items[this.head] = undefined
    this.head++
    // compact once the consumed prefix dominates
    if (this.head >= 1024 && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head)
      this.head = 0
    } else if (this.head === this.items.length) {
      this.items = []
      this.head = 0
    }
    return item
  }
}
