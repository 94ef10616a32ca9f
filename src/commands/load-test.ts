import {Chalk} from 'chalk'

import {BaseCommand} from '../cli/base-command.js'
import {loadTestFlags, toLoadTestOptions} from '../cli/flags/load-test.js'
import {writeHdrLog} from '../load/hdr-log.js'
import {runLoadTest} from '../load/load-test.js'
import {createProgressView, progressEnabled} from '../load/progress.js'
import {writeHtmlReport} from '../load/report-html.js'
import {renderReport, renderScaling} from '../load/report-text.js'
import {createLogger, wantsColor} from '../log/logger.js'

export default class LoadTest extends BaseCommand {
  static description =
    'Fire concurrent requests and verify the pool: without --url, starts the color and image servers as worker pools, ' +
    'loads them with a realistic mix and checks every response and every worker'
  static examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --workers 1,2,4 --duration 5',
    '<%= config.bin %> <%= command.id %> --url http://127.0.0.1:6421/ -c 100 -d 30 --expect-workers 4',
    '<%= config.bin %> <%= command.id %> --url http://127.0.0.1:6421/ --rate 2000 --max-p99 50 --json',
    '<%= config.bin %> <%= command.id %> -d 5 --workers 1,2 --report load.html',
  ]
  static flags = loadTestFlags

  async run(): Promise<void> {
    const {flags} = await this.parse(LoadTest)
    const view = createProgressView(progressEnabled(process.stderr, flags.json))
    const logger = createLogger({color: wantsColor(process.stderr), format: 'text', quiet: true})
    // The first Ctrl+C ends the run early and still reports it; a second one exits at once.
    const interrupt = new AbortController()
    const onSignal = () => interrupt.abort()
    process.once('SIGINT', onSignal).once('SIGTERM', onSignal)
    const options = {...toLoadTestOptions(flags), command: ['load-test', ...this.argv], signal: interrupt.signal}
    const result = await runLoadTest(options, {logger, onRun: view.start, onRunEnd: view.stop}).finally(() => {
      process.off('SIGINT', onSignal).off('SIGTERM', onSignal)
    })
    const reports = result.kind === 'single' ? [result.report] : result.report.runs
    // One log of every run's seconds; with a --workers list the runs follow each other.
    if (flags['hdr-log']) await writeHdrLog(reports, flags['hdr-log'])
    if (flags.report) await writeHtmlReport(result.report, flags.report)
    if (flags.json) {
      process.stdout.write(JSON.stringify(result.report) + '\n')
    } else {
      const chalk = new Chalk({level: wantsColor(process.stdout) ? 1 : 0})
      this.log(result.kind === 'single' ? renderReport(result.report, chalk) : renderScaling(result.report, chalk))
      if (flags.report) this.log(`\nReport: ${flags.report}`)
    }

    if (!result.report.passed) this.exit(1)
  }
}
