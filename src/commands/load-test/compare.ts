import {Chalk} from 'chalk'

import {BaseCommand} from '../../cli/base-command.js'
import {compareArgs, compareFlags} from '../../cli/flags/load-results.js'
import {compareReports} from '../../load/compare.js'
import {renderComparison} from '../../load/compare-text.js'
import {readReport} from '../../load/read-report.js'
import {wantsColor} from '../../log/logger.js'

export default class LoadTestCompare extends BaseCommand {
  static args = compareArgs
  static description =
    'Compare a run with a base run (JSON reports of load-test --json): throughput and each latency percentile side by side ' +
    'with the ratio and a verdict that accounts for run-to-run noise; fails on a regression beyond --max-regression'
  static examples = [
    '<%= config.bin %> <%= command.id %> before.json after.json',
    '<%= config.bin %> <%= command.id %> before.json after.json --max-regression 5 --json',
  ]
  static flags = compareFlags

  async run(): Promise<void> {
    const {args, flags} = await this.parse(LoadTestCompare)
    const base = await readReport(args.base)
    const next = await readReport(args.new)
    const comparison = compareReports(base, next, {maxRegression: flags['max-regression']})
    if (flags.json) {
      process.stdout.write(JSON.stringify(comparison) + '\n')
    } else {
      const chalk = new Chalk({level: wantsColor(process.stdout) ? 1 : 0})
      this.log(renderComparison(comparison, chalk))
    }

    if (!comparison.passed) this.exit(1)
  }
}
