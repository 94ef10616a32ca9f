// The library behind the CLI: everything the commands use, for programs that
// want a webkit server without the command line.
export {run} from '@oclif/core'
export {createColorApp} from './apps/color/app.js'
export type {ColorAppOptions} from './apps/color/app.js'
export {buildPalette, DEFAULT_COLORS} from './apps/color/palette.js'
export type {AppSpec} from './apps/registry.js'
export {UserError} from './errors.js'
export {createLogger} from './log/logger.js'
export type {LogOptions} from './log/logger.js'
export {DEFAULT_TIMEOUTS} from './server/options.js'
export type {ServerOptions} from './server/options.js'
export {runServer} from './server/run.js'
export type {RunningServer} from './server/run.js'
