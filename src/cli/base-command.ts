// What every webkit command shares: user errors print as one line, no stack.
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

export abstract class BaseCommand extends Command {
  protected async catch(error: Error & {exitCode?: number; oclif?: {exit?: number}}): Promise<unknown> {
    if (error instanceof UserError) this.error(oneLine(error.message), {exit: error.exitCode})
    // oclif's own parse errors (unknown flag, bad option, failed flag parser).
    if (error instanceof Errors.CLIError || error.name.endsWith('Error') && error.oclif) {
      const exit = error.oclif?.exit ?? 2
      if (exit !== 0) this.error(`${oneLine(error.message)} (see --help)`, {exit: 2})
    }

    return super.catch(error)
  }
}
