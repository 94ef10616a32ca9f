import {strict as assert} from 'node:assert'
import {mkdir, mkdtemp, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import type {LoadReport} from '../../src/load/report.js'

import {seededRandom} from '../../src/load/bootstrap.js'
import {readReport} from '../../src/load/read-report.js'
import {buildRun, latencies} from '../support/load-runs.js'

describe('load/read-report', () => {
  let dir: string
  let report: LoadReport
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'webkit-read-report-'))
    const random = seededRandom(1)
    report = await buildRun({seconds: [latencies(random, 50, 1000), latencies(random, 50, 1000)], startMs: Date.UTC(2026, 11, 1)})
  })
  after(() => rm(dir, {force: true, recursive: true}))

  /** The one-line message reading `content` (a string, or JSON of a changed copy of the report) fails with. */
  async function refusal(content: ((r: any) => unknown) | string, name = 'run.json'): Promise<string> {
    const file = join(dir, name)
    const copy = structuredClone(report)
    await writeFile(file, typeof content === 'string' ? content : JSON.stringify(content(copy) ?? copy))
    const error = await readReport(file).then(
      () => assert.fail('expected the report to be refused'),
      (error: Error) => error,
    )
    assert.equal(error.name, 'UserError', error.stack)
    assert.doesNotMatch(error.message, /\n/)
    return error.message.replaceAll(dir, '<dir>')
  }

  it('reads back a report as it was written', async () => {
    const file = join(dir, 'good.json')
    await writeFile(file, JSON.stringify(report) + '\n')
    assert.deepEqual(await readReport(file), {file, report})
  })

  it('refuses a file it cannot read, or that is not a report', async () => {
    assert.equal(await refusal('', 'empty.json'), '<dir>/empty.json is empty: expected the JSON that load-test --json prints')
    assert.match(await refusal('{"schemaVersion": 2, "requests":', 'cut.json'), /^<dir>\/cut\.json is not JSON \(.+\): expected what load-test --json prints$/)
    assert.match(await refusal('PASS\n', 'text.json'), /^<dir>\/text\.json is not JSON/)
    assert.equal(await refusal('[1, 2]', 'list.json'), '<dir>/list.json is not a webkit load-test report (no schemaVersion): expected what load-test --json prints')
    const missing = await readReport(join(dir, 'nothing.json')).catch((error: Error) => error.message.replaceAll(dir, '<dir>'))
    assert.equal(missing, 'cannot read <dir>/nothing.json: no such file')
    await mkdir(join(dir, 'folder.json'))
    const folder = await readReport(join(dir, 'folder.json')).catch((error: Error) => error.message.replaceAll(dir, '<dir>'))
    assert.equal(folder, 'cannot read <dir>/folder.json: it is a directory')
  })

  it('refuses other schema versions, saying what to do about version 1', async () => {
    assert.equal(
      await refusal((r) => ({...r, schemaVersion: 1})),
      '<dir>/run.json is a schemaVersion 1 report, which has no histograms or intervals: merge and compare need schemaVersion 2 (run the load test again with this webkit)',
    )
    assert.equal(await refusal((r) => ({...r, schemaVersion: 3})), '<dir>/run.json has schemaVersion 3; this webkit reads schemaVersion 2')
    assert.equal(await refusal((r) => ({...r, schemaVersion: '2'})), '<dir>/run.json has schemaVersion "2"; this webkit reads schemaVersion 2')
    assert.equal(
      await refusal((r) => ({passed: true, runs: [r, r], scaling: [], schemaVersion: 2})),
      '<dir>/run.json holds 2 runs of a --workers list: merge and compare take one run per file',
    )
  })

  it('names a missing or mistyped field', async () => {
    assert.equal(
      await refusal((r) => {
        delete r.plan.connections
      }),
      '<dir>/run.json: plan.connections is missing (a truncated or edited report?)',
    )
    assert.equal(
      await refusal((r) => {
        r.intervals[1].workers['1'] = -3
      }),
      '<dir>/run.json: intervals[1].workers.1 must be a whole number of at least 0 (a truncated or edited report?)',
    )
    assert.equal(
      await refusal((r) => {
        r.startedAt = 'yesterday'
      }),
      '<dir>/run.json: startedAt must be an ISO 8601 date (a truncated or edited report?)',
    )
    assert.equal(
      await refusal((r) => {
        r.targets = []
      }),
      '<dir>/run.json: targets lists 0 targets but plan.targets 1 (a truncated or edited report?)',
    )
  })

  it('refuses a histogram that is truncated, corrupt or does not hold what the report counts', async () => {
    const cut = (s: string, n: number) => s.slice(0, s.length - n)
    assert.match(
      await refusal((r) => {
        r.histograms.corrected = cut(r.histograms.corrected, 8)
      }),
      /^<dir>\/run\.json: histograms\.corrected is not an HdrHistogram in compressed V2 base64 \(.+\) \(a truncated or edited report\?\)$/,
    )
    assert.match(
      await refusal((r) => {
        r.intervals[0].histogram = cut(r.intervals[0].histogram, 3)
      }),
      /^<dir>\/run\.json: intervals\[0\]\.histogram is not an HdrHistogram/,
    )
    assert.match(
      await refusal((r) => {
        const h: string = r.histograms.corrected
        const at = Math.floor(h.length / 2)
        r.histograms.corrected = h.slice(0, at) + (h[at] === 'A' ? 'B' : 'A') + h.slice(at + 1)
      }),
      /histograms\.corrected is not an HdrHistogram in compressed V2 base64/,
    )
    assert.equal(
      await refusal((r) => {
        r.histograms.corrected = r.intervals[0].histogram
      }),
      '<dir>/run.json: histograms.corrected holds 50 latencies for 100 responses (a truncated or edited report?)',
    )
    assert.equal(
      await refusal((r) => {
        r.intervals.pop()
      }),
      '<dir>/run.json: intervals add up to 50 responses but the report counts 100 (a truncated or edited report?)',
    )
  })
})
