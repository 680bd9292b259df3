/** Lifecycle of every component (see STYLE.md §5). */
export interface Startable {
  /** Opens resources. Idempotent. */
  start?: () => void | Promise<void>
  /** Begins background loops, once every component has started. */
  afterStart?: () => void | Promise<void>
  /** Refuses new work before stop. */
  beforeStop?: () => void | Promise<void>
  /** Releases resources. Idempotent; safe before start. */
  stop?: () => void | Promise<void>
}

/** Options carrying an abort signal; the last parameter of every async method. */
export interface AbortOptions {
  signal?: AbortSignal
}
