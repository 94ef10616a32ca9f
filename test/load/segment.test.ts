import {strict as assert} from 'node:assert'

import {laneOf, type LoadPlan, shareOf, WHOLE} from '../../src/load/plan.js'
import {createSchedule, dueAt, sendCount} from '../../src/load/pacer.js'
import {parseSegment, parseStartAt} from '../../src/load/segment.js'
import {startLoad} from '../../src/load/threads.js'
import {closeTargets, startDelayedTarget, type TestTarget} from '../support/load-target.js'

function plan(target: TestTarget, limits: Partial<LoadPlan['limits']>): LoadPlan {
  return {
    expectStatus: ['2xx'],
    limits: {connections: 7, durationMs: 1000, rate: null, requests: null, segment: WHOLE, threads: 1, timeoutMs: 2000, warmupMs: 0, ...limits},
    targets: [{expectInstances: null, expectWorkers: null, host: '127.0.0.1', name: 't', port: target.port, requests: [{headers: {}, method: 'GET', path: '/'}], url: target.url}],
  }
}

describe('load/segment', function () {
  this.timeout(15_000)
  afterEach(closeTargets)

  it('deals every item to exactly one lane, whatever the number of generators and of threads in each', () => {
    for (let count = 1; count <= 5; count++) {
      const owners = new Map<number, string>()
      for (let index = 0; index < count; index++) {
        const threads = 1 + ((index * 7) % 3)
        for (let thread = 0; thread < threads; thread++) {
          const {offset, stride} = laneOf({count, index}, thread, threads)
          for (let item = offset; item < 1000; item += stride) {
            assert.ok(!owners.has(item), `item ${item} dealt twice`)
            owners.set(item, `${index}/${thread}`)
          }
        }
      }

      assert.equal(owners.size, 1000, `${count} generators: every item dealt`)
      // Each generator's share is what shareOf says it is.
      for (let index = 0; index < count; index++) {
        const mine = [...owners.values()].filter((o) => o.startsWith(`${index}/`)).length
        assert.equal(mine, shareOf(1000, index, count))
      }
    }
  })

  it('gives each generator the sends of the full schedule that are its own, at their instants', () => {
    const full = createSchedule({rate: 300, requests: 101, startAt: 0, thread: 0, threads: 1, warmupMs: 0})
    const all = Array.from({length: sendCount(full)}, (_, k) => dueAt(full, k))
    const union: number[] = []
    for (let index = 0; index < 3; index++) {
      const threads = index + 1
      for (let thread = 0; thread < threads; thread++) {
        const {offset, stride} = laneOf({count: 3, index}, thread, threads)
        const mine = createSchedule({rate: 300, requests: 101, startAt: 0, thread: offset, threads: stride, warmupMs: 0})
        for (let k = 0; k < sendCount(mine); k++) union.push(dueAt(mine, k))
      }
    }

    assert.deepEqual(
      union.sort((a, b) => a - b),
      all,
    )
  })

  it('splits --requests and the connections exactly over generators run side by side', async () => {
    const target = await startDelayedTarget(0)
    const runs = [0, 1, 2].map((index) => startLoad(plan(target, {requests: 1001, segment: {count: 3, index}, threads: index === 2 ? 2 : 1})).result)
    const tallies = (await Promise.all(runs)).map((r) => r.tally)
    assert.deepEqual(
      tallies.map((t) => t.sent),
      [334, 334, 333],
    )
    assert.deepEqual(
      tallies.map((t) => t.targets[0].connections['1']),
      [3, 2, 2],
      'seven connections dealt out',
    )
    assert.equal(target.requests(), 1001)
  })

  it('reads I/N and start times, and refuses what they are not', () => {
    assert.deepEqual(parseSegment('2/4'), {count: 4, index: 1})
    assert.deepEqual(parseSegment(' 1 / 1 '), {count: 1, index: 0})
    for (const bad of ['0/4', '5/4', '1/0', '1', '1/2/3', 'a/b', '-1/2', '1/100000']) assert.throws(() => parseSegment(bad), /--segment must be I\/N/)
    assert.equal(parseStartAt('+2.5', 1000), 3500)
    assert.equal(parseStartAt('2026-12-01T10:00:00Z', 0), Date.UTC(2026, 11, 1, 10))
    assert.equal(parseStartAt('2026-12-01T11:00:00.250+01:00', 0), Date.UTC(2026, 11, 1, 10, 0, 0, 250))
    for (const bad of ['2026-12-01T10:00:00', 'tomorrow', '+', '+-1', '10:00']) assert.throws(() => parseStartAt(bad, 0), /--start-at must be/)
  })
})
