// A timer for deadlines measured with performance.now(). Node's timers run on the
// event loop's cached millisecond clock and can fire up to a millisecond early by
// performance.now(), which would cut a 3 s run to 2.999 s.
import {performance} from 'node:perf_hooks'

/**
 * Calls fn once performance.now() has reached `time`; a timer that fires early is
 * armed again for the rest. The live timer is kept in `timers` so the owner can
 * clear it.
 */
export function atTime(time: number, fn: () => void, timers: Set<NodeJS.Timeout>): void {
  const timer = setTimeout(() => {
    timers.delete(timer)
    if (performance.now() < time) atTime(time, fn, timers)
    else fn()
  }, Math.max(0, time - performance.now()))
  timers.add(timer)
}
