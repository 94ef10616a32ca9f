// A run's per-second latency histograms as an HdrHistogram interval log: the
// text format HdrHistogram's own tools (HistogramLogProcessor, the plotters)
// read and merge. Values are µs; each line's max is given in ms. Timestamps
// are seconds from the first run's start, which the log's StartTime gives.
import {decodeFromCompressedBase64, HistogramLogWriter} from 'hdr-histogram-js'
import {writeFile} from 'node:fs/promises'

import type {LoadReport} from './report.js'

/** One log of every run's seconds: with several runs (a --workers list), each line is tagged with its run. */
export function renderHdrLog(reports: LoadReport[]): string {
  let text = ''
  const writer = new HistogramLogWriter((line) => {
    text += line
  })
  const start = Date.parse(reports[0]?.startedAt ?? new Date(0).toISOString())
  writer.outputComment(`webkit ${reports[0]?.command.join(' ') ?? ''}`.trim())
  writer.outputLogFormatVersion()
  writer.outputStartTime(start)
  writer.baseTime = start
  writer.outputLegend()
  for (const [run, report] of reports.entries()) {
    for (const interval of report.intervals) {
      const histogram = decodeFromCompressedBase64(interval.histogram)
      if (reports.length > 1) histogram.tag = `run-${run + 1}`
      const from = (interval.startMs - start) / 1000
      writer.outputIntervalHistogram(histogram, from, from + 1, 1000)
    }
  }

  return text
}

export async function writeHdrLog(reports: LoadReport[], file: string): Promise<void> {
  await writeFile(file, renderHdrLog(reports))
}
