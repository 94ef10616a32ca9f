// Where two plain JSON values differ, as paths such as "targets[0].url": what
// merge names when it refuses runs of different plans, and what compare notes.

export interface Difference {
  a: unknown
  b: unknown
  /** "" for the values themselves; else a path such as "targets[0].paths". */
  path: string
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

/** Every place where `a` and `b` differ, in key order; arrays of different lengths differ as a whole. */
export function differences(a: unknown, b: unknown, path = ''): Difference[] {
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    return a.flatMap((item, i) => differences(item, b[i], `${path}[${i}]`))
  }

  if (isObject(a) && isObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()
    return keys.flatMap((key) => differences(a[key], b[key], path === '' ? key : `${path}.${key}`))
  }

  return Object.is(a, b) ? [] : [{a, b, path}]
}

/** A value as a difference shows it: JSON, cut short. */
export function showValue(value: unknown, max = 60): string {
  const text = value === undefined ? 'nothing' : JSON.stringify(value)
  return text.length > max ? `${text.slice(0, max - 1)}…` : text
}
