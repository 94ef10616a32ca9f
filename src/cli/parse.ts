// Value parsers for flags. Each throws a UserError whose message names the flag,
// what it got and what it wants, so the CLI can print it as one line.
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

export function integerIn(flag: string, min: number, max: number) {
  return async (input: string): Promise<number> => {
    const value = Number(input.trim())
    if (input.trim() === '' || !Number.isInteger(value) || value < min || value > max) {
      throw new UserError(`--${flag} must be a whole number from ${min} to ${max}, got "${input}"`)
    }

    return value
  }
}

export function secondsIn(flag: string, min: number, max: number) {
  return async (input: string): Promise<number> => {
    const value = Number(input.trim())
    if (input.trim() === '' || !Number.isFinite(value) || value < min || value > max) {
      throw new UserError(`--${flag} must be a number of seconds from ${min} to ${max}, got "${input}"`)
    }

    return value
  }
}
