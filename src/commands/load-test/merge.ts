import {Chalk} from 'chalk'

import {BaseCommand} from '../../cli/base-command.js'
import {mergeArgs, mergeFlags} from '../../cli/flags/load-results.js'
import {mergeReports} from '../../load/merge.js'
import {readReport} from '../../load/read-report.js'
import {writeHtmlReport} from '../../load/report-html.js'
import {renderReport} from '../../load/report-text.js'
import {wantsColor} from '../../log/logger.js'

export default class LoadTestMerge extends BaseCommand {
  static args = mergeArgs
  static description =
    'Merge the JSON reports of runs of one plan that ran side by side (several generators, or the segments of a plan) ' +
    'into one report: counts and histograms added exactly, seconds aligned by the wall clock, the checks evaluated again'
  static examples = [
    '<%= config.bin %> <%= command.id %> a.json b.json',
    '<%= config.bin %> <%= command.id %> a.json b.json c.json --min-rps 30000 --json > all.json',
    '<%= config.bin %> <%= command.id %> a.json b.json --report all.html',
  ]
  static flags = mergeFlags
  // The reports are a list of files.
  static strict = false

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(LoadTestMerge)
    const files = argv as string[]
    const runs = []
    for (const file of files) runs.push(await readReport(file))
    const report = await mergeReports(runs, {
      command: ['load-test', 'merge', ...this.argv],
      thresholds: {maxErrorRate: flags['max-error-rate'], maxP99Ms: flags['max-p99'], minRps: flags['min-rps']},
    })
    if (flags.report) await writeHtmlReport(report, flags.report)
    if (flags.json) {
      process.stdout.write(JSON.stringify(report) + '\n')
    } else {
      const chalk = new Chalk({level: wantsColor(process.stdout) ? 1 : 0})
      this.log(`${chalk.bold(`Merged ${files.length} run${files.length === 1 ? '' : 's'}:`)} ${files.join(', ')}\n${renderReport(report, chalk)}`)
      if (flags.report) this.log(`\nReport: ${flags.report}`)
    }

    if (!report.passed) this.exit(1)
  }
}
