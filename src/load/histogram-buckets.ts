// The recorded buckets of an HdrHistogram as plain (value, count) lists, for
// statistics the library does not offer (percentiles of resampled runs). The
// one place that reads a histogram's buckets: it uses members that
// hdr-histogram-js's JsHistogram class declares public, and its test holds the
// result to the library's own percentiles, so a change there fails loudly.
import {type Histogram, JsHistogram} from 'hdr-histogram-js'

export interface Buckets {
  /** How many values each bucket holds (never 0). */
  counts: number[]
  /** Ascending: each bucket's highest equivalent value, which is what getValueAtPercentile returns for it. */
  values: number[]
}

export function bucketsOf(histogram: Histogram): Buckets {
  if (!(histogram instanceof JsHistogram)) throw new Error('histogram buckets can only be read from a JsHistogram')
  const counts: number[] = []
  const values: number[] = []
  if (histogram.totalCount === 0) return {counts, values}
  const last = Math.min(histogram.countsArrayLength - 1, histogram.countsArrayIndex(histogram.maxValue))
  for (let i = 0; i <= last; i++) {
    const count = histogram.getCountAtIndex(i)
    if (count > 0) {
      counts.push(count)
      values.push(histogram.highestEquivalentValue(histogram.valueFromIndex(i)))
    }
  }

  return {counts, values}
}
