// The Range header (RFC 9110 §14): byte ranges only. A header that cannot be
// read is ignored (the whole file is sent); ranges that all start past the end
// are unsatisfiable (416).

/** Inclusive byte positions, already clamped to the file. */
export interface ByteRange {
  end: number
  start: number
}

export type RangeRequest =
  /** No Range, a unit other than bytes, a syntax error, or an empty file: send it all. */
  | {kind: 'ignore'}
  | {kind: 'unsatisfiable'}
  /** At least one range, sorted, overlapping and touching ones merged. */
  | {kind: 'ranges'; ranges: ByteRange[]}

const IGNORE: RangeRequest = Object.freeze({kind: 'ignore'})
const UNSATISFIABLE: RangeRequest = Object.freeze({kind: 'unsatisfiable'})
const UNIT = /^\s*bytes\s*=/i
const SPEC = /^(?:(\d+)-(\d*)|-(\d+))$/

export function parseRange(header: string | undefined, size: number): RangeRequest {
  if (header === undefined || size === 0) return IGNORE
  const unit = UNIT.exec(header)
  if (!unit) return IGNORE
  const ranges: ByteRange[] = []
  let specs = 0
  for (const item of header.slice(unit[0].length).split(',')) {
    const spec = item.trim()
    // Lists may hold empty elements (RFC 9110 §5.6.1).
    if (spec === '') continue
    const match = SPEC.exec(spec)
    if (!match) return IGNORE
    specs++
    const [, first, last, suffix] = match
    if (suffix !== undefined) {
      const length = Number(suffix)
      if (length > 0) ranges.push({end: size - 1, start: Math.max(0, size - length)})
      continue
    }

    const start = Number(first)
    const end = last === '' ? Number.POSITIVE_INFINITY : Number(last)
    if (end < start) return IGNORE
    if (start < size) ranges.push({end: Math.min(end, size - 1), start})
  }

  if (specs === 0) return IGNORE
  if (ranges.length === 0) return UNSATISFIABLE
  return {kind: 'ranges', ranges: coalesce(ranges)}
}

/** Sorts and merges ranges that overlap or touch, so no byte is sent twice. */
export function coalesce(ranges: ByteRange[]): ByteRange[] {
  const sorted = [...ranges].sort((a, b) => a.start - b.start)
  const merged: ByteRange[] = [{...sorted[0]}]
  for (const range of sorted.slice(1)) {
    const last = merged.at(-1)!
    if (range.start <= last.end + 1) last.end = Math.max(last.end, range.end)
    else merged.push({...range})
  }

  return merged
}

export function rangeLength(range: ByteRange): number {
  return range.end - range.start + 1
}

export function contentRange(range: ByteRange, size: number): string {
  return `bytes ${range.start}-${range.end}/${size}`
}
