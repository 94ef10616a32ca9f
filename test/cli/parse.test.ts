import {strict as assert} from 'node:assert'

import {fractionIn, integerListIn, numberIn} from '../../src/cli/parse.js'

/** The one-line message a parser rejects `input` with. */
async function rejection(parse: (input: string) => Promise<unknown>, input: string): Promise<string> {
  try {
    await parse(input)
  } catch (error) {
    assert.equal((error as Error).name, 'UserError', input)
    return (error as Error).message
  }

  throw new assert.AssertionError({message: `"${input}" was accepted`})
}

describe('flag value parsers', () => {
  it('numberIn takes numbers in range, surrounding spaces included', async () => {
    const rate = numberIn('rate', {max: 100, min: 0.5})
    assert.equal(await rate(' 0.5 '), 0.5)
    assert.equal(await rate('100'), 100)
    assert.equal(await rate('1e1'), 10)
  })

  it('numberIn refuses what is not a number in range, naming the flag, the rule and the input', async () => {
    const rate = numberIn('rate', {max: 100, min: 0.5})
    for (const input of ['', ' ', 'abc', '0.4', '100.5', 'Infinity', 'NaN', '1,5']) {
      assert.equal(await rejection(rate, input), `--rate must be a number from 0.5 to 100, got "${input}"`)
    }
  })

  it('numberIn with whole refuses fractions, and says "a whole number"', async () => {
    const port = numberIn('port', {max: 65_535, min: 0, whole: true})
    assert.equal(await port('0'), 0)
    assert.equal(await port('65535'), 65_535)
    for (const input of ['1.5', '-1', '65536', '']) {
      assert.equal(await rejection(port, input), `--port must be a whole number from 0 to 65535, got "${input}"`)
    }
  })

  it('numberIn names the unit it is told', async () => {
    const timeout = numberIn('timeout', {max: 3600, min: 0.001, what: 'a number of seconds'})
    assert.equal(await timeout('0.25'), 0.25)
    assert.equal(await rejection(timeout, '0'), '--timeout must be a number of seconds from 0.001 to 3600, got "0"')
  })

  it('integerListIn reads a list of whole numbers, each checked', async () => {
    const workers = integerListIn('workers', 1, 8)
    assert.deepEqual(await workers('1, 2,4'), [1, 2, 4])
    assert.equal(await rejection(workers, '1,,2'), '--workers must be a whole number or a comma-separated list such as 1,2,4, got "1,,2"')
    assert.equal(await rejection(workers, '1,9'), '--workers must be a whole number from 1 to 8, got "9"')
  })

  it('fractionIn reads a fraction or a percentage', async () => {
    const rate = fractionIn('max-error-rate')
    assert.equal(await rate('0.25'), 0.25)
    assert.equal(await rate('1%'), 0.01)
    for (const input of ['%', '101%', '-0.1', 'x']) {
      assert.match(await rejection(rate, input), /^--max-error-rate must be a fraction from 0 to 1 or a percentage such as 1%, got "/)
    }
  })
})
