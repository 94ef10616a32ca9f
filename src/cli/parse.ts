// Value parsers for flags. Each throws a UserError whose message names the flag,
// what it got and what it wants, so the CLI can print it as one line.
import {accessSync, constants, existsSync, statSync} from 'node:fs'
import {dirname, resolve} from 'node:path'

import {UserError} from '../errors.js'

/** Runs a library parser, turning its complaint into a user error. */
export function userInput<T>(parse: (input: string) => T) {
  return async (input: string): Promise<T> => {
    try {
      return parse(input)
    } catch (error) {
      throw new UserError((error as Error).message)
    }
  }
}

/** The numbers a flag takes, and how its message names them. */
export interface NumberRule {
  max: number
  min: number
  /** Only whole numbers; named "a whole number" unless `what` says otherwise. */
  whole?: boolean
  /** How the message names what is wanted, e.g. "a number of seconds". */
  what?: string
}

/** A number from `min` to `max`: `--flag must be <what> from <min> to <max>, got "<input>"` otherwise. */
export function numberIn(flag: string, {max, min, whole = false, what = whole ? 'a whole number' : 'a number'}: NumberRule) {
  return async (input: string): Promise<number> => {
    const text = input.trim()
    const value = Number(text)
    const valid = text !== '' && (whole ? Number.isInteger(value) : Number.isFinite(value)) && value >= min && value <= max
    if (!valid) throw new UserError(`--${flag} must be ${what} from ${min} to ${max}, got "${input}"`)
    return value
  }
}

/** A comma-separated list of whole numbers, e.g. "1,2,4". */
export function integerListIn(flag: string, min: number, max: number) {
  const one = numberIn(flag, {max, min, whole: true})
  return async (input: string): Promise<number[]> => {
    const items = input.split(',').map((item) => item.trim())
    if (items.some((item) => item === '')) {
      throw new UserError(`--${flag} must be a whole number or a comma-separated list such as 1,2,4, got "${input}"`)
    }

    return Promise.all(items.map((item) => one(item)))
  }
}

/** A fraction from 0 to 1, or a percentage such as "1%". */
export function fractionIn(flag: string) {
  return async (input: string): Promise<number> => {
    const text = input.trim()
    const percent = text.endsWith('%')
    const value = Number(percent ? text.slice(0, -1) : text) / (percent ? 100 : 1)
    if (text === '' || text === '%' || !Number.isFinite(value) || value < 0 || value > 1) {
      throw new UserError(`--${flag} must be a fraction from 0 to 1 or a percentage such as 1%, got "${input}"`)
    }

    return value
  }
}

/**
 * A file the command will write when it is done (a report, a log): checked
 * now, so a bad path fails before a run rather than after it.
 */
export function outputFile(flag: string) {
  return async (input: string): Promise<string> => {
    const path = resolve(input)
    const dir = dirname(path)
    if (existsSync(path) && statSync(path).isDirectory()) throw new UserError(`--${flag} ${input} is a directory: give a file name`)
    if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UserError(`--${flag} ${input}: cannot write in ${dir}: no such directory`)
    // An existing file is replaced in place, so it must be writable itself; a new one needs the directory.
    const [what, mode] = existsSync(path) ? [path, constants.W_OK] : [dir, constants.W_OK | constants.X_OK]
    try {
      accessSync(what, mode)
    } catch {
      throw new UserError(`--${flag} ${input}: cannot write ${what === path ? 'the file' : `in ${dir}`} (permission denied)`)
    }

    return path
  }
}

/** A percentage, written "10" or "10%": the fraction it is (0.1). */
export function percentIn(flag: string, min: number, max: number) {
  return async (input: string): Promise<number> => {
    const text = input.trim().replace(/%$/, '')
    const value = Number(text)
    if (text === '' || !Number.isFinite(value) || value < min || value > max) {
      throw new UserError(`--${flag} must be a percentage from ${min} to ${max}, such as 10 or 10%, got "${input}"`)
    }

    return value / 100
  }
}
