/**
 * A clone of Go's `text/tabwriter` as urfave/cli v1 configures it
 * (`minwidth 1, tabwidth 8, padding 2, padchar ' ', flags 0`): tab-terminated
 * cells of consecutive lines form column blocks padded to the widest cell.
 */

const MIN_WIDTH = 1
const PADDING = 2

/** Width of a cell in Unicode code points (Go counts runes). */
function runeWidth (s: string): number {
  let n = 0
  for (const _ of s) n++
  return n
}

/** Aligns `text` exactly as Go's tabwriter would when flushed. */
export function tabwrite (text: string): string {
  const lines = text.split('\n').map((l) => l.split('\t'))
  const out: string[] = []
  const widths: number[] = []

  const writeLines = (line0: number, line1: number): void => {
    for (let i = line0; i < line1; i++) {
      const cells = lines[i]
      let s = ''
      for (let j = 0; j < cells.length; j++) {
        const c = cells[j]
        s += c
        // every cell but the last one of a line is tab-terminated and padded
        if (j < cells.length - 1 && j < widths.length) s += ' '.repeat(Math.max(0, widths[j] - runeWidth(c)))
      }
      out.push(s)
    }
  }

  // as Writer.format: recursive column blocks
  const format = (line0: number, line1: number): void => {
    const column = widths.length
    let start = line0
    for (let i = line0; i < line1; i++) {
      if (column >= lines[i].length - 1) continue
      writeLines(start, i)
      start = i
      let width = MIN_WIDTH
      for (; i < line1; i++) {
        const cells = lines[i]
        if (column >= cells.length - 1) break
        const w = runeWidth(cells[column]) + PADDING
        if (w > width) width = w
      }
      widths.push(width)
      format(start, i)
      widths.pop()
      start = i
      i-- // the outer loop re-examines line i
    }
    writeLines(start, line1)
  }

  format(0, lines.length)
  return out.join('\n')
}
