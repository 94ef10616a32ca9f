// What every webkit command shares: a user error is printed as exactly one line
// (never wrapped, never with a stack) and the command exits non-zero.
import {Command, Errors} from '@oclif/core'

import {UserError} from '../errors.js'

/** Collapses oclif's multi-line parse errors into one sentence. */
export function oneLine(message: string): string {
  return message
    .replace(/See more help with --help/i, '')
    .replace(/^Parsing --[\w-]+\s+/, '')
    .replaceAll(/\s*\n\s*/g, ': ')
    .replace(/[\s:]+$/, '')
    .trim()
}

type CommandError = Error & {oclif?: {exit?: number}}

export abstract class BaseCommand extends Command {
  protected async catch(error: CommandError): Promise<unknown> {
    if (error instanceof UserError) return this.fail(error.message, error.exitCode)
    // A flag's parser or oclif's own parsing (unknown flag, bad option, missing value).
    if (error.message.startsWith('Parsing --')) return this.fail(error.message, 2)
    if (error instanceof Errors.CLIError && error.oclif?.exit !== 0 && !(error instanceof Errors.ExitError)) {
      return this.fail(`${oneLine(error.message)} (see --help)`, 2)
    }

    return super.catch(error)
  }

  /** oclif's error printer wraps long lines to the terminal width, so print it ourselves. */
  private fail(message: string, exitCode: number): never {
    process.stderr.write(`Error: ${oneLine(message)}\n`)
    return this.exit(exitCode)
  }
}
