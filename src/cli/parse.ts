// Value parsers for flags. Each throws an Error whose message names the flag,
// what it got and what it wants, so the CLI can print it as one line.

export function integerIn(flag: string, min: number, max: number) {
  return async (input: string): Promise<number> => {
    const value = Number(input.trim())
    if (input.trim() === '' || !Number.isInteger(value) || value < min || value > max) {
      throw new Error(`--${flag} must be a whole number from ${min} to ${max}, got "${input}"`)
    }

    return value
  }
}

export function secondsIn(flag: string, min: number, max: number) {
  return async (input: string): Promise<number> => {
    const value = Number(input.trim())
    if (input.trim() === '' || !Number.isFinite(value) || value < min || value > max) {
      throw new Error(`--${flag} must be a number of seconds from ${min} to ${max}, got "${input}"`)
    }

    return value
  }
}
