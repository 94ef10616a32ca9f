import {strict as assert} from 'node:assert'

import {createSchedule, dueAt, dueBy, globalIndex, sendCount} from '../../src/load/pacer.js'

describe('load/pacer', () => {
  it('spaces sends evenly, and threads together keep the spacing', () => {
    const threads = 3
    const schedules = Array.from({length: threads}, (_, thread) =>
      createSchedule({rate: 300, requests: null, startAt: 1000, thread, threads, warmupMs: 0}),
    )
    const times = schedules.flatMap((s) => Array.from({length: 10}, (_, k) => dueAt(s, k))).sort((a, b) => a - b)
    for (let i = 1; i < times.length; i++) assert.ok(Math.abs(times[i] - times[i - 1] - 1000 / 300) < 1e-9)
    assert.equal(times[0], 1000)
  })

  it('counts the sends due by a time', () => {
    const s = createSchedule({rate: 100, requests: null, startAt: 0, thread: 0, threads: 1, warmupMs: 0})
    assert.equal(dueBy(s, -1), 0)
    assert.equal(dueBy(s, 0), 1)
    assert.equal(dueBy(s, 9.99), 1)
    assert.equal(dueBy(s, 10), 2)
    assert.equal(dueBy(s, 1000), 101)
    const second = createSchedule({rate: 100, requests: null, startAt: 0, thread: 1, threads: 2, warmupMs: 0})
    assert.equal(dueBy(second, 9), 0)
    assert.equal(dueBy(second, 10), 1)
    assert.equal(dueBy(second, 30), 2)
  })

  it('with --requests makes exactly that many measured sends over all threads, after the warm-up ones', () => {
    for (const threads of [1, 2, 3, 4]) {
      const schedules = Array.from({length: threads}, (_, thread) =>
        createSchedule({rate: 1000, requests: 3001, startAt: 0, thread, threads, warmupMs: 500}),
      )
      let measured = 0
      let warm = 0
      for (const s of schedules) {
        for (let k = 0; k < sendCount(s); k++) {
          if (globalIndex(s, k) >= s.firstMeasured) measured++
          else warm++
        }

        assert.equal(dueBy(s, Number.POSITIVE_INFINITY), sendCount(s))
      }

      assert.equal(measured, 3001, `${threads} threads`)
      assert.equal(warm, 500)
    }
  })

  it('measures from the first send due at or after the warm-up', () => {
    const s = createSchedule({rate: 3, requests: null, startAt: 0, thread: 0, threads: 1, warmupMs: 1000})
    assert.equal(s.firstMeasured, 3)
    assert.ok(dueAt(s, s.firstMeasured) >= 1000)
    assert.ok(dueAt(s, s.firstMeasured - 1) < 1000)
    assert.equal(sendCount(s), Number.POSITIVE_INFINITY)
  })
})
