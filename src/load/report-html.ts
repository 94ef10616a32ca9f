// `--report FILE.html`: a run's report as one self-contained page. Everything it
// needs is inline (uPlot and its stylesheet, read from the installed package
// when the page is written; the page's own style and script; the chart data),
// and its Content-Security-Policy forbids every fetch, so it opens offline and
// the same anywhere. The key figures carry data attributes for programs to read:
// data-metric="total-requests" (and "p99", ...) with the raw number in data-value,
// data-worker="<key of the report's workers>" on each worker's bar.
import {createHash} from 'node:crypto'
import {readFileSync} from 'node:fs'
import {writeFile} from 'node:fs/promises'
import {createRequire} from 'node:module'
import {fileURLToPath} from 'node:url'

import type {LoadReport, ScalingReport, TargetReport} from './report.js'

import {UserError} from '../errors.js'
import {escapeHtml} from '../http/html.js'
import {bytesRate, count, decimal} from './format.js'
import {
  type ChartData,
  COLORS,
  decodeHistogram,
  latencyAt,
  latencyOverTimeChart,
  percentileChart,
  tailX,
  throughputChart,
  WORKER_COLORS,
  workersOverTimeChart,
} from './report-html-data.js'

/** What the page inlines besides its content. */
export interface PageAssets {
  script: string
  style: string
  /** uPlot's version and copyright line, which its MIT license asks to keep with every copy. */
  uplotNotice: string
  uplotScript: string
  uplotStyle: string
}

const require = createRequire(import.meta.url)
const OWN_ASSET = (name: string) => fileURLToPath(new URL(`../../assets/load-report/${name}`, import.meta.url))

let assets: PageAssets | undefined

/** uPlot from the installed package, and the page's own script and style (read once). */
export function pageAssets(): PageAssets {
  assets ??= readAssets()
  return assets
}

function readAssets(): PageAssets {
  const read = (path: string) => readFileSync(path, 'utf8')
  const {version} = JSON.parse(read(require.resolve('uplot/package.json'))) as {version: string}
  const copyright = /^Copyright .*$/m.exec(read(require.resolve('uplot/LICENSE')))?.[0] ?? ''
  return {
    script: read(OWN_ASSET('report.js')),
    style: read(OWN_ASSET('report.css')),
    // Inside an HTML comment, which "--" would end.
    uplotNotice: `uPlot ${version}, MIT License, ${copyright}`.replaceAll('--', '-'),
    uplotScript: read(require.resolve('uplot/dist/uPlot.iife.min.js')),
    uplotStyle: read(require.resolve('uplot/dist/uPlot.min.css')),
  }
}

/** Writes the page for `report` to `file`; a failure to write is one line for the user. */
export async function writeHtmlReport(report: LoadReport | ScalingReport, file: string): Promise<void> {
  const html = renderHtmlReport(report)
  try {
    await writeFile(file, html)
  } catch (error) {
    throw new UserError(`--report ${file}: could not write the report (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`)
  }
}

/**
 * The whole page, as one string: the same report (and the same installed
 * uPlot) always gives the same page.
 */
export function renderHtmlReport(report: LoadReport | ScalingReport, inline: PageAssets = pageAssets()): string {
  const charts = new Charts()
  const scaling = 'runs' in report
  const body = scaling ? scalingBody(report, charts) : singleBody(report, charts)
  const title = scaling
    ? `webkit load-test · scaling ${report.scaling.map((s) => s.workers).join(', ')} workers · ${report.passed ? 'PASS' : 'FAIL'}`
    : `webkit load-test · ${count(report.requests.perSecond)} req/s · ${report.passed ? 'PASS' : 'FAIL'}`
  const data = scriptText(JSON.stringify(charts.all).replaceAll('<', String.raw`\u003c`))
  const uplotScript = scriptText(`${inline.uplotScript}\n`)
  const script = scriptText(inline.script)
  // Scripts by hash, no source to fetch from at all: the page can reach nothing.
  const csp = [
    "default-src 'none'",
    `script-src ${[uplotScript, script].map(sha256Source).join(' ')}`,
    "style-src 'unsafe-inline'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ')
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="webkit load-test">
<title>${escapeHtml(title)}</title>
<style>
${styleText(inline.uplotStyle)}
${styleText(inline.style)}
</style>
</head>
<body>
<main>
${body}
<footer>Written by <code>webkit load-test</code> from its report (schemaVersion ${report.schemaVersion}). Charts drawn with ${escapeHtml(inline.uplotNotice)}.</footer>
</main>
<script type="application/json" id="report-charts">${data}</script>
<!-- ${inline.uplotNotice} -->
<script>${uplotScript}</script>
<script>${script}</script>
</body>
</html>
`
}

/** Chart data by id, embedded as JSON for the page's script. */
class Charts {
  readonly all: Record<string, ChartData> = {}

  /** The chart's placeholder; it keeps its height while empty, so drawing shifts nothing. */
  add(id: string, chart: ChartData, label: string): string {
    this.all[id] = chart
    return `<div class="chart" id="${id}" data-chart="${id}" role="img" aria-label="${escapeHtml(label)}"></div>`
  }
}

function sha256Source(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`
}

/** Text that can sit inside a <script> element as it is. */
function scriptText(text: string): string {
  if (/<\/script|<!--/i.test(text)) throw new Error('inline script would end its element early')
  return text
}

function styleText(text: string): string {
  if (/<\/style/i.test(text)) throw new Error('inline style would end its element early')
  return text
}

/** The command line as a shell would take it back: arguments quoted only where they must be. */
export function commandLine(argv: string[]): string {
  return ['webkit', ...argv].map((arg) => (/^[\w%+,./:=@-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", String.raw`'\''`)}'`)).join(' ')
}

/** An ISO time as 2026-11-26 10:00:00 UTC. */
function when(iso: string): string {
  const date = new Date(iso)
  return Number.isNaN(date.getTime()) ? iso : date.toISOString().replace('T', ' ').replace(/(\.\d+)?Z$/, ' UTC')
}

/** ms as recorded: µs precision, never rounded away from what the JSON says. */
export function ms(value: number): string {
  return value.toLocaleString('en-US', {maximumFractionDigits: 3, minimumFractionDigits: 1})
}

const percent = (fraction: number, digits = 1) => `${decimal(fraction * 100, digits)}%`

function metric(name: string, value: number | string, text: string, tag = 'span'): string {
  return `<${tag} data-metric="${name}" data-value="${escapeHtml(String(value))}">${escapeHtml(text)}</${tag}>`
}

/** The run in one line, as HTML. */
function describeRun(r: LoadReport): string {
  const length = `${metric('duration', r.durationSeconds, decimal(r.durationSeconds, 1))}&nbsp;s measured`
  const warmup = r.warmupSeconds > 0 ? ` after ${decimal(r.warmupSeconds, 1)} s warm-up` : ''
  const pace = r.rate === null ? 'closed loop' : `${count(r.rate)} req/s constant rate`
  const threads = r.threads > 1 ? ` · ${r.threads} threads` : ''
  const segment = r.segment ? ` · ${metric('segment', `${r.segment.index}/${r.segment.count}`, `segment ${r.segment.index} of ${r.segment.count}`)} of the plan` : ''
  return `${metric('connections', r.connections, count(r.connections))} connections · ${length}${warmup} · ${pace}${threads}${segment}`
}

function verdict(passed: boolean): string {
  const word = passed ? 'PASS' : 'FAIL'
  return `<div class="verdict ${passed ? 'pass' : 'fail'}" data-metric="verdict" data-value="${word}">${word}</div>`
}

function header(heading: string, meta: string, passed: boolean, command: string[]): string {
  return `<header class="top">
<div><h1>${heading}</h1><p class="meta">${meta}</p></div>
${verdict(passed)}
</header>
<pre class="command" aria-label="command line"><code data-metric="command">${escapeHtml(commandLine(command))}</code></pre>`
}

function singleBody(r: LoadReport, charts: Charts): string {
  const meta = `<time datetime="${escapeHtml(r.startedAt)}">${escapeHtml(when(r.startedAt))}</time> · ${describeRun(r)}`
  return `${header('webkit load-test', meta, r.passed, r.command)}
${runSections(r, charts, 'run')}`
}

/** Everything about one run; `id` keeps chart ids apart when a page holds several runs. */
function runSections(r: LoadReport, charts: Charts, id: string): string {
  const interrupted = r.interrupted
    ? `<p class="banner" data-metric="interrupted" data-value="true">Interrupted before the end: the figures cover the ${decimal(r.durationSeconds, 1)} s it ran.</p>`
    : ''
  return `${interrupted}
${targetsList(r)}
${cards(r)}
${percentileSection(r, charts, id)}
${timeSections(r, charts, id)}
${workersSection(r, charts, id)}
<div class="grid2">
${statusSection(r)}
${errorsSection(r)}
</div>
${checksSection(r)}
${settingsSection(r)}`
}

function targetsList(r: LoadReport): string {
  const items = r.targets.map((t) => {
    const pool = t.poolWorkers === null ? '' : ` · pool of ${t.poolWorkers}`
    return `<li><b>${escapeHtml(t.name)}</b> <span class="url">${escapeHtml(t.url)}</span>${pool} · ${count(t.paths.length)} path${t.paths.length === 1 ? '' : 's'}</li>`
  })
  return `<ul class="targets">${items.join('')}</ul>`
}

function card(label: string, main: string, sub: string, tone = ''): string {
  return `<div class="card${tone ? ` ${tone}` : ''}"><div class="label">${label}</div><div class="value">${main}</div><div class="sub">${sub}</div></div>`
}

function cards(r: LoadReport): string {
  const q = r.requests
  const l = r.latencyMs
  const settled = q.ok + q.failed
  const errorRate = settled > 0 ? q.failed / settled : 0
  const none = '<span class="none">no responses</span>'
  const queued = q.queued > 0 ? ` · ${metric('queued', q.queued, count(q.queued))} due but not sent` : ''
  return `<div class="cards">
${card('Requests', metric('total-requests', q.total, count(q.total)), `${metric('ok', q.ok, count(q.ok))} ok · ${metric('failed', q.failed, count(q.failed))} failed · ${metric('in-flight', q.inFlight, count(q.inFlight))} in flight${queued}`)}
${card('Throughput', `${metric('rps', q.perSecond, decimal(q.perSecond))} <small>req/s</small>`, metric('bytes-per-second', r.bytesPerSecond, bytesRate(r.bytesPerSecond)))}
${card('p50', l ? `${metric('p50', l.p50, ms(l.p50))} <small>ms</small>` : none, l ? `mean ${metric('mean', l.mean, ms(l.mean))} · p90 ${metric('p90', l.p90, ms(l.p90))} ms` : '')}
${card('p99', l ? `${metric('p99', l.p99, ms(l.p99))} <small>ms</small>` : none, l ? `p99.9 ${metric('p999', l.p999, ms(l.p999))} · max ${metric('max', l.max, ms(l.max))} ms` : '')}
${card('Errors', metric('error-rate', errorRate, percent(errorRate, errorRate > 0 && errorRate < 0.001 ? 3 : 1)), q.failed > 0 ? `${count(q.failed)} of ${count(settled)} failed` : 'none failed', q.failed > 0 ? 'bad' : '')}
</div>`
}

/** The percentiles a table lists, as far as the run's count can tell them apart. */
const TABLE_PERCENTILES = [50, 75, 90, 99, 99.9, 99.99, 99.999, 99.9999]

function percentileSection(r: LoadReport, charts: Charts, id: string): string {
  const heading = '<h2>Latency by percentile</h2>'
  const corrected = decodeHistogram(r.histograms.corrected)
  if (corrected.totalCount === 0 || !r.latencyMs) return `<section class="panel">${heading}<p class="none">No responses were measured.</p></section>`
  const lines = [{color: COLORS.corrected, histogram: corrected, label: r.histograms.uncorrected ? 'corrected' : 'latency', summary: r.latencyMs}]
  if (r.histograms.uncorrected !== null && r.uncorrectedLatencyMs) {
    lines.push({color: COLORS.uncorrected, histogram: decodeHistogram(r.histograms.uncorrected), label: 'uncorrected', summary: r.uncorrectedLatencyMs})
  }

  const chart = charts.add(
    `${id}-percentiles`,
    percentileChart(lines.map((line) => ({...line, maxMs: line.summary.max}))),
    'latency against percentile, log scale of 1/(1-p)',
  )
  // The summary's own figures where it has them, so the table and the cards agree to the µs.
  const at = (line: (typeof lines)[number], p: number) =>
    ({50: line.summary.p50, 90: line.summary.p90, 99: line.summary.p99, 99.9: line.summary.p999})[p] ??
    latencyAt(line.histogram, p, line.summary.max)
  const n = corrected.totalCount
  const cells = (p: number) => lines.map((line) => `<td>${ms(p === 100 ? line.summary.max : at(line, p))}</td>`).join('')
  const shown = [...TABLE_PERCENTILES.filter((p) => Math.log10(100 / (100 - p)) <= tailX(n) + 1e-9), 100]
  const rows = shown.map((p) => `<tr data-percentile="${p}"><th>${p === 100 ? 'max' : `p${p}`}</th>${cells(p)}</tr>`)
  const head = `<tr><th></th>${lines.map((line) => `<th>${line.label === 'latency' ? 'ms' : line.label}</th>`).join('')}</tr>`
  const note =
    lines.length > 1
      ? 'Corrected latency counts from each request’s intended send time at the fixed rate, so time a request spent waiting behind a slow one counts (coordinated omission); uncorrected counts from the moment it was actually sent.'
      : 'Each response’s latency from the moment its request was sent.'
  return `<section class="panel">
${heading}
<div class="with-table">
${chart}
<table class="percentiles"><thead>${head}</thead><tbody>${rows.join('')}</tbody></table>
</div>
<p class="note">${note} The x axis is 1/(1−p) on a log scale, as HdrHistogram plots it: 90%, 99% and 99.9% lie evenly apart, so the tail gets as much room as the body. ${count(n)} responses; values in ms.</p>
</section>`
}

function timeSections(r: LoadReport, charts: Charts, id: string): string {
  // One second is no course over time: its figures are the run's own.
  if (r.intervals.length < 2) return ''
  const throughput = charts.add(`${id}-throughput`, throughputChart(r.intervals, r.durationSeconds), 'responses per second over the run')
  const latency = charts.add(`${id}-latency`, latencyOverTimeChart(r.intervals, r.durationSeconds), 'p50 and p99 latency per second over the run')
  return `<div class="grid2">
<section class="panel"><h2>Throughput per second</h2>${throughput}</section>
<section class="panel"><h2>Latency per second</h2>${latency}</section>
</div>`
}

/** Keys of a target's workers in the report's `workers` (prefixed by target when several were loaded). */
function workerKey(r: LoadReport, target: TargetReport, id: string): string {
  return r.targets.length > 1 ? `${target.name}:${id}` : id
}

function workersSection(r: LoadReport, charts: Charts, id: string): string {
  const parts = r.targets.map((t, i) => {
    const pool = t.poolWorkers === null ? '' : ` · pool of ${t.poolWorkers}`
    const imbalance =
      t.workers.length === 0 ? '' : t.imbalance === null ? ' · imbalance ∞ (a worker served nothing)' : ` · imbalance ${t.imbalance.toFixed(2)}`
    const heading = `<h3>${escapeHtml(t.name)} <span class="dim">${count(t.requests)} responses${pool}${imbalance}</span></h3>`
    if (t.workers.length === 0) return `${heading}<p class="none">No X-Worker header in the responses: workers cannot be told apart.</p>`
    const busiest = Math.max(...t.workers.map((w) => w.requests), 1)
    const even = t.requests / t.workers.length / busiest
    const rows = t.workers.map((w, n) => {
      const key = workerKey(r, t, w.id)
      const width = (w.requests / busiest) * 100
      return `<div class="bar-row" data-worker="${escapeHtml(key)}" data-target="${escapeHtml(t.name)}">
<span class="bar-label">worker ${escapeHtml(w.id)}</span>
<span class="track"><span class="bar" style="width:${width.toFixed(2)}%;background:${WORKER_COLORS[n % WORKER_COLORS.length]}"></span><span class="even" style="left:${(even * 100).toFixed(2)}%" title="an even share"></span></span>
<span class="bar-value">${metric('worker-requests', w.requests, count(w.requests), 'b')} <small>${percent(w.share)} · ${count(w.connections)} conn</small></span>
</div>`
    })
    const over =
      r.intervals.length > 1
        ? charts.add(
            `${id}-workers-${i}`,
            workersOverTimeChart(r.intervals, r.durationSeconds, t.workers.map((w) => ({id: w.id, key: workerKey(r, t, w.id)}))),
            `responses per second of each worker of ${t.name}`,
          )
        : ''
    // Behind a balancer: how the instances shared the load, then their workers (ids "instance/worker").
    const instances = Object.entries(t.instances).sort(([a], [b]) => a.localeCompare(b, 'en', {numeric: true}))
    const byInstance =
      instances.length === 0
        ? ''
        : `<h4>by instance <span class="dim">(X-Instance)</span></h4>${countBars(instances, 'instance', (key) => WORKER_COLORS[instances.findIndex(([k]) => k === key) % WORKER_COLORS.length], (key) => `instance ${key}`)}<h4>by worker</h4>`
    return `<div class="target" data-target="${escapeHtml(t.name)}">${heading}${byInstance}<div class="bars">${rows.join('')}</div>${over}</div>`
  })
  return `<section class="panel"><h2>Requests per worker</h2>
<p class="note">How the pool shared the load: bars to scale with the busiest worker; the tick marks an even share. A pool spreads connections, not requests.</p>
${parts.join('\n')}</section>`
}

const STATUS_COLORS: Record<string, string> = {'1': '#64748b', '2': '#16a34a', '3': '#0891b2', '4': '#d97706', '5': '#dc2626'}

function countBars(entries: [string, number][], attribute: string, color: (key: string) => string, label: (key: string) => string): string {
  const most = Math.max(...entries.map(([, n]) => n), 1)
  const total = entries.reduce((a, [, n]) => a + n, 0)
  return `<div class="bars">${entries
    .map(
      ([key, n]) => `<div class="bar-row" data-${attribute}="${escapeHtml(key)}">
<span class="bar-label">${escapeHtml(label(key))}</span>
<span class="track"><span class="bar" style="width:${((n / most) * 100).toFixed(2)}%;background:${color(key)}"></span></span>
<span class="bar-value"><b data-value="${n}">${count(n)}</b> <small>${percent(total > 0 ? n / total : 0)}</small></span>
</div>`,
    )
    .join('')}</div>`
}

function statusSection(r: LoadReport): string {
  const entries = Object.entries(r.statusCodes).sort(([a], [b]) => Number(a) - Number(b))
  const body =
    entries.length === 0
      ? '<p class="none">No responses.</p>'
      : countBars(entries, 'status', (s) => STATUS_COLORS[s[0]] ?? '#64748b', (s) => s)
  return `<section class="panel"><h2>Status codes</h2>${body}</section>`
}

function errorsSection(r: LoadReport): string {
  const entries = Object.entries(r.errors).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
  const body =
    entries.length === 0
      ? '<p class="none ok-text">No errors.</p>'
      : countBars(entries, 'error', () => COLORS.failed, (kind) => kind)
  return `<section class="panel"><h2>Errors by kind</h2>${body}</section>`
}

function checksSection(r: LoadReport): string {
  const items = r.checks.map(
    (c) =>
      `<li class="${c.passed ? 'pass' : 'fail'}" data-check="${escapeHtml(c.name)}" data-passed="${c.passed}"><span class="icon" aria-label="${c.passed ? 'passed' : 'failed'}">${c.passed ? '✔' : '✘'}</span><span><b>${escapeHtml(c.name)}</b> ${escapeHtml(c.detail)}</span></li>`,
  )
  return `<section class="panel"><h2>Checks <span class="verdict-inline ${r.passed ? 'pass' : 'fail'}">${r.passed ? 'PASS' : 'FAIL'}</span></h2><ul class="checks">${items.join('')}</ul></section>`
}

function settingsSection(r: LoadReport): string {
  const p = r.plan
  const t = r.thresholds
  const length = p.requests === null ? `${decimal(p.durationSeconds ?? r.durationSeconds, 1)} s` : `${count(p.requests)} requests`
  const rows: [string, string][] = [
    ['method', escapeHtml(p.method)],
    ['connections', count(p.connections)],
    ['length', length],
    ['pace', p.rate === null ? 'closed loop (each connection sends when answered)' : `${count(p.rate)} req/s constant rate`],
    ['warm-up', `${decimal(p.warmupSeconds, 1)} s`],
    ['timeout', `${decimal(p.timeoutSeconds, 1)} s`],
    ['expected status', escapeHtml(p.expectStatus.join(', '))],
    ['max error rate', percent(t.maxErrorRate, 2)],
    ['max p99', t.maxP99Ms === null ? '—' : `${ms(t.maxP99Ms)} ms`],
    ['min throughput', t.minRps === null ? '—' : `${decimal(t.minRps)} req/s`],
  ]
  const targets = p.targets.map(
    (target) =>
      `<details><summary><b>${escapeHtml(target.name)}</b> ${escapeHtml(target.url)} · ${count(target.paths.length)} path${target.paths.length === 1 ? '' : 's'}</summary><ul class="paths">${target.paths.map((path) => `<li><code>${escapeHtml(path)}</code></li>`).join('')}</ul></details>`,
  )
  return `<section class="panel"><h2>Settings</h2>
<dl class="settings">${rows.map(([k, v]) => `<div><dt>${k}</dt><dd>${v}</dd></div>`).join('')}</dl>
<div class="plan-targets">${targets.join('')}</div>
</section>`
}

function scalingBody(s: ScalingReport, charts: Charts): string {
  const first = s.runs[0]
  const sizes = s.scaling.map((row) => row.workers)
  const meta = first
    ? `<time datetime="${escapeHtml(first.startedAt)}">${escapeHtml(when(first.startedAt))}</time> · one run per pool size: ${sizes.join(', ')} workers · ${describeRun(first)}`
    : ''
  const best = Math.max(...s.scaling.map((row) => row.requestsPerSecond), 1)
  const rows = s.scaling.map(
    (row) => `<tr data-run="${row.workers}">
<th><a href="#run-${row.workers}">${row.workers} worker${row.workers === 1 ? '' : 's'}</a></th>
<td class="bar-cell"><span class="track"><span class="bar" style="width:${((row.requestsPerSecond / best) * 100).toFixed(2)}%;background:${COLORS.responses}"></span></span></td>
<td>${metric('rps', row.requestsPerSecond, decimal(row.requestsPerSecond))}</td>
<td>${row.p50 === null ? '—' : metric('p50', row.p50, ms(row.p50))}</td>
<td>${row.p99 === null ? '—' : metric('p99', row.p99, ms(row.p99))}</td>
<td>${row.speedup === null ? '—' : metric('speedup', row.speedup, `${row.speedup.toFixed(2)}×`)}</td>
</tr>`,
  )
  const lines = s.runs.map((run, i) => ({
    color: WORKER_COLORS[i % WORKER_COLORS.length],
    histogram: decodeHistogram(run.histograms.corrected),
    label: `${s.scaling[i].workers} worker${s.scaling[i].workers === 1 ? '' : 's'}`,
  }))
  const overlay = lines.some((line) => line.histogram.totalCount > 0)
    ? charts.add('scaling-percentiles', percentileChart(lines), 'latency against percentile for each pool size')
    : '<p class="none">No responses were measured.</p>'
  const runs = s.runs.map(
    (run, i) => `<section class="run" id="run-${s.scaling[i].workers}" data-run="${s.scaling[i].workers}">
<header class="run-head"><h2>${s.scaling[i].workers} worker${s.scaling[i].workers === 1 ? '' : 's'}</h2>${verdict(run.passed)}</header>
${runSections(run, charts, `run-${s.scaling[i].workers}`)}
</section>`,
  )
  return `${header('webkit load-test · scaling', meta, s.passed, first?.command ?? [])}
<section class="panel" data-metric="scaling"><h2>Throughput and latency against pool size</h2>
<table class="scaling"><thead><tr><th>pool</th><th class="bar-cell"></th><th>req/s</th><th>p50 ms</th><th>p99 ms</th><th>speedup</th></tr></thead><tbody>${rows.join('')}</tbody></table>
<p class="note">Speedup is req/s over the first pool size’s. On a machine with few cores the load generator competes with the pool, so more workers can measure slower: the table reports what was measured.</p>
</section>
<section class="panel"><h2>Latency by percentile, per pool size</h2>${overlay}</section>
<nav class="runs">Runs: ${sizes.map((n) => `<a href="#run-${n}">${n} worker${n === 1 ? '' : 's'}</a>`).join(' · ')}</nav>
${runs.join('\n')}`
}
