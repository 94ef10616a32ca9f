// The one histogram every latency is recorded in, so any two can be added.
import {build, type Histogram} from 'hdr-histogram-js'

/** µs, three significant digits: about 100 KB whatever the run's length. */
export function createHistogram(): Histogram {
  return build({
    bitBucketSize: 32,
    highestTrackableValue: 3_600_000_000,
    lowestDiscernibleValue: 1,
    numberOfSignificantValueDigits: 3,
  })
}
