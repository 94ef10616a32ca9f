import {strict as assert} from 'node:assert'

import {fixed2, isoNow} from '../../src/log/access-line.js'

describe('access line pieces', () => {
  it('isoNow is the current time as Date formats it, to the millisecond', () => {
    for (let i = 0; i < 2000; i++) {
      const before = Date.now()
      const text = isoNow()
      const after = Date.now()
      assert.match(text, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
      const parsed = Date.parse(text)
      assert.ok(parsed >= before && parsed <= after, `${text} outside ${before}..${after}`)
      assert.equal(text, new Date(parsed).toISOString())
    }
  })

  it('fixed2 writes two decimals, rounded to the nearest hundredth', () => {
    const cases: Array<[number, string]> = [
      [0, '0.00'],
      [0.004, '0.00'],
      [0.006, '0.01'],
      [0.4567, '0.46'],
      [0.1, '0.10'],
      [9.999, '10.00'],
      [12.3, '12.30'],
      [1234.5678, '1234.57'],
    ]
    for (const [ms, text] of cases) assert.equal(fixed2(ms), text, String(ms))
    for (const odd of [-0.5, Number.NaN, Number.POSITIVE_INFINITY, 1e21]) assert.equal(fixed2(odd), odd.toFixed(2))
    for (let i = 0; i < 100_000; i++) {
      const ms = Math.random() * 10 ** (i % 6)
      const text = fixed2(ms)
      assert.match(text, /^\d+\.\d\d$/)
      assert.ok(Math.abs(Number(text) - ms) <= 0.005 + 1e-9, `${ms} -> ${text}`)
    }
  })
})
