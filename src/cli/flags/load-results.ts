// The flags of `load-test merge` and `load-test compare`, which read the JSON
// reports of runs rather than make one. Merge judges the merged run by the
// thresholds of load-test itself.
import {Args, Flags} from '@oclif/core'

import {DEFAULT_MAX_REGRESSION} from '../../load/compare.js'
import {outputFile, percentIn} from '../parse.js'
import {loadTestFlags} from './load-test.js'

export const mergeArgs = {
  reports: Args.string({description: 'JSON reports (load-test --json) of runs of one plan', required: true}),
}

export const mergeFlags = {
  json: Flags.boolean({default: false, description: 'Print the merged report as one JSON object on stdout (schemaVersion 2, as load-test --json)'}),
  'max-error-rate': loadTestFlags['max-error-rate'],
  'max-p99': loadTestFlags['max-p99'],
  'min-rps': loadTestFlags['min-rps'],
  report: Flags.custom<string>({
    description: 'Also write the merged report as one self-contained HTML page (charts included; opens offline)',
    helpValue: '<file.html>',
    parse: outputFile('report'),
  })(),
}

export const compareArgs = {
  base: Args.string({description: 'JSON report of the run to compare against (load-test --json)', required: true}),
  new: Args.string({description: 'JSON report of the run to judge', required: true}),
}

export const compareFlags = {
  json: Flags.boolean({default: false, description: 'Print the comparison as one JSON object on stdout'}),
  'max-regression': Flags.custom<number>({
    default: DEFAULT_MAX_REGRESSION,
    defaultHelp: async () => `${DEFAULT_MAX_REGRESSION * 100}%`,
    description: 'Fail when throughput or a latency percentile is worse by more than this percentage, beyond the noise',
    helpValue: '<percent>',
    parse: percentIn('max-regression', 0, 100_000),
  })(),
}
