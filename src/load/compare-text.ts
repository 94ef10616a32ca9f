// A comparison for people: the two runs, a table of each metric side by side
// with its ratio, interval and verdict, how the noise was estimated, and PASS
// or FAIL. Colors come from the caller's chalk (level 0: plain text).
import type {ChalkInstance} from 'chalk'

import {type Comparison, type MetricComparison, MIN_SECONDS, type RunSide} from './compare.js'

const decimal = (n: number, digits: number) =>
  n.toLocaleString('en-US', {maximumFractionDigits: digits, minimumFractionDigits: digits})
const count = (n: number) => Math.round(n).toLocaleString('en-US')
/** A percentage: one decimal under 10% unless it is whole (3.7%, 5%, 45%). */
function percent(fraction: number): string {
  const value = fraction * 100
  return `${decimal(value, value < 10 && value !== Math.round(value) ? 1 : 0)}%`
}

function figure(m: MetricComparison, value: null | number): string {
  if (value === null) return '-'
  return m.unit === 'req/s' ? decimal(value, 1) : decimal(value, value >= 100 ? 1 : 2)
}

const times = (ratio: number) => (Number.isFinite(ratio) ? `${decimal(ratio, ratio >= 10 ? 1 : 2)}x` : '∞')

/** The change in words, "25% higher": the verdict says whether that is better or worse. */
function change(m: MetricComparison): string {
  if (m.ratio === null) return ''
  const delta = m.ratio - 1
  if (Math.abs(delta) < 0.0005) return 'no change'
  const direction = delta > 0 ? 'higher' : 'lower'
  return `${percent(Math.abs(delta))} ${direction}`
}

const VERDICT_TEXT: Record<MetricComparison['verdict'], string> = {
  improvement: 'improvement',
  noise: 'within the noise',
  'not judged': 'not judged',
  regression: 'REGRESSION',
  unchanged: 'within the limit',
}

function verdictCell(m: MetricComparison, chalk: ChalkInstance): string {
  const text = m.name === 'max' ? 'not judged (a single response)' : VERDICT_TEXT[m.verdict]
  if (m.verdict === 'regression') return chalk.red.bold(text)
  if (m.verdict === 'improvement') return chalk.green(text)
  return text
}

function side(label: string, run: RunSide): string {
  return `  ${label.padEnd(6)}${run.file} · measured from ${run.startedAt} · ${decimal(run.durationSeconds, 1)} s · ${count(run.responses)} responses`
}

export function renderComparison(c: Comparison, chalk: ChalkInstance): string {
  const lines = [chalk.bold('webkit load-test compare'), side('base', c.base), side('new', c.new), '']
  const confidence = c.bootstrap ? `${Math.round(c.bootstrap.confidence * 100)}% interval` : 'interval'
  const header = ['', 'base', 'new', 'ratio', 'change', confidence, 'verdict']
  const rows = c.metrics.map((m) => [
    m.name === 'throughput' ? 'req/s' : `${m.name} ms`,
    figure(m, m.base),
    figure(m, m.new),
    m.ratio === null ? '-' : times(m.ratio),
    change(m),
    m.interval ? `${times(m.interval.low)} - ${times(m.interval.high)}` : '',
  ])
  const widths = header.slice(0, -1).map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)))
  const line = (cells: string[], verdict: string) =>
    '  ' + cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('   ') + '   ' + verdict
  lines.push(chalk.bold(line(header.slice(0, -1), header.at(-1)!)))
  for (const [i, m] of c.metrics.entries()) lines.push(line(rows[i], verdictCell(m, chalk)))
  lines.push('')
  if (c.bootstrap) {
    const {units} = c.bootstrap
    lines.push(
      `Noise: a bootstrap over each run's seconds (${units.base} and ${units.new} units, ${count(c.bootstrap.resamples)} resamples, seed ${c.bootstrap.seed}):` +
        ` ${Math.round(c.bootstrap.confidence * 100)}% of resampled pairs of runs give a ratio in the interval.`,
    )
  } else {
    lines.push(`Noise: not estimated, a run has fewer than ${MIN_SECONDS} seconds; the ratios alone decide.`)
  }

  lines.push(`A regression is a change beyond ${percent(c.maxRegression)} for the worse whose interval excludes no change (1.00x).`)
  if (c.planDifferences.length > 0) lines.push(`The plans differ: ${c.planDifferences.join('; ')}`)
  lines.push('')
  const regressed = c.metrics.filter((m) => m.verdict === 'regression').map((m) => `${m.name === 'throughput' ? 'req/s' : m.name} ${change(m)}`)
  lines.push(c.passed ? chalk.green.bold('PASS') : `${chalk.red.bold('FAIL')}: ${regressed.join(', ')}, beyond the ${percent(c.maxRegression)} allowed`)
  return lines.join('\n')
}
