import {strict as assert} from 'node:assert'
import {performance} from 'node:perf_hooks'

import {atTime} from '../../src/load/timer.js'

/** Spins for `ms`, so the event loop's cached clock falls behind performance.now(). */
function spin(ms: number): void {
  const until = performance.now() + ms
  while (performance.now() < until);
}

describe('load/timer', () => {
  it('never calls back before the deadline, even when the loop clock is stale', async function () {
    this.timeout(10_000)
    let early = 0
    for (let i = 0; i < 150; i++) {
      await new Promise((resolve) => setImmediate(resolve))
      spin((i % 4) * 0.7)
      const deadline = performance.now() + 5
      const calledAt = await new Promise<number>((resolve) => atTime(deadline, () => resolve(performance.now()), new Set()))
      if (calledAt < deadline) early++
    }

    assert.equal(early, 0, `${early} of 150 callbacks came before their deadline`)
  })

  it('keeps its live timer in the set, so clearing the set cancels it', async () => {
    const timers = new Set<NodeJS.Timeout>()
    let called = false
    atTime(performance.now() + 20, () => (called = true), timers)
    assert.equal(timers.size, 1)
    for (const timer of timers) clearTimeout(timer)
    await new Promise((resolve) => setTimeout(resolve, 40))
    assert.equal(called, false)
  })
})
