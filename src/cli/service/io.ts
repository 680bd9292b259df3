/**
 * The process edges the service CLI uses (output, input, environment), so
 * tests can run commands in-process.
 */
import { createInterface } from 'node:readline'
import type { Interface } from 'node:readline'
import { homedir } from 'node:os'

/** Output, input and environment of one CLI run. */
export interface CliIo {
  stdout: (text: string) => void
  stderr: (text: string) => void
  stdin: NodeJS.ReadableStream
  env: NodeJS.ProcessEnv
  /** The user's home folder (default config folder parent). */
  home: string
}

/** The real process. HOME falls back to the OS user home when empty, as Go. */
export function processIo (): CliIo {
  return {
    stdout: (t) => { process.stdout.write(t) },
    stderr: (t) => { process.stderr.write(t) },
    stdin: process.stdin,
    env: process.env,
    home: process.env.HOME != null && process.env.HOME !== '' ? process.env.HOME : homedir()
  }
}

/** Reads stdin line by line on demand; `close` lets the process exit. */
export class LineReader {
  private rl?: Interface
  private iter?: AsyncIterator<string>
  constructor (private readonly input: NodeJS.ReadableStream) {}

  /** The next line, or null at end of input. */
  async next (): Promise<string | null> {
    this.rl ??= createInterface({ input: this.input, terminal: false })
    this.iter ??= this.rl[Symbol.asyncIterator]()
    const r = await this.iter.next()
    return r.done === true ? null : r.value
  }

  close (): void {
    this.rl?.close()
  }
}

/**
 * Go's yesNoPrompt: up to 3 tries; y/Y → true, n/N/empty → false, anything
 * else asks again; 3 bad answers → false.
 */
export async function yesNoPrompt (io: CliIo, lines: LineReader, prompt: string): Promise<boolean> {
  for (let i = 0; i < 3; i++) {
    io.stdout(`${prompt} `)
    const line = await lines.next()
    // fmt.Scanf("%s") reads one whitespace-separated token
    const answer = (line ?? '').trim().split(/\s+/)[0] ?? ''
    if (answer === 'y' || answer === 'Y') return true
    if (answer === 'n' || answer === 'N' || answer === '') return false
    io.stdout("Please press either 'y' or 'n'\n")
  }
  return false
}
