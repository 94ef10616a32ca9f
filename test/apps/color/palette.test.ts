import {strict as assert} from 'node:assert'

import {buildPalette, contrastingText, DEFAULT_COLORS, parseColorEntry, parseColorFlags} from '../../../src/apps/color/palette.js'

describe('palette', () => {
  it("holds the original project's thirteen colors in order", () => {
    assert.deepEqual(Object.keys(DEFAULT_COLORS), [
      'red', 'green', 'blue', 'orange', 'purple', 'brown', 'pink', 'gray', 'cyan', 'magenta', 'yellow', 'black', 'white',
    ])
    assert.equal(DEFAULT_COLORS.brown, '#A52A2A')
    assert.equal(DEFAULT_COLORS.pink, '#FF69B4')
  })

  it('parses NAME=#RRGGBB, lowercasing names and uppercasing hex', () => {
    assert.deepEqual(parseColorEntry(' Teal = #00808a '), ['teal', '#00808A'])
    assert.deepEqual(parseColorFlags(['a=#000000,b=#FFFFFF', 'c=#123456']), {a: '#000000', b: '#FFFFFF', c: '#123456'})
  })

  it('rejects malformed entries with a message that shows the expected form', () => {
    for (const bad of ['teal', 'teal=', '=#008080', 'teal=#0080', 'teal=008080', 'teal=#GGGGGG', '1x=#000000', 'a b=#000000', '<b>=#000000']) {
      assert.throws(() => parseColorEntry(bad), /expected NAME=#RRGGBB/, bad)
    }
  })

  it('applies overrides and appends new names after the defaults', () => {
    const palette = buildPalette({red: '#111111', teal: '#008080'})
    const names = [...palette.keys()]
    assert.equal(names.length, 14)
    assert.equal(names.at(-1), 'teal')
    assert.equal(palette.get('red')!.hex, '#111111')
    assert.equal(palette.get('teal')!.label, 'Teal')
  })

  it('is a Map, so object property names are not colors', () => {
    const palette = buildPalette()
    assert.equal(palette.get('constructor'), undefined)
    assert.equal(palette.get('__proto__'), undefined)
  })

  it('picks black text on light colors and white on dark ones', () => {
    assert.equal(contrastingText('#FFFFFF'), '#000000')
    assert.equal(contrastingText('#FFFF00'), '#000000')
    assert.equal(contrastingText('#00FFFF'), '#000000')
    assert.equal(contrastingText('#000000'), '#FFFFFF')
    assert.equal(contrastingText('#0000FF'), '#FFFFFF')
    assert.equal(contrastingText('#800080'), '#FFFFFF')
  })
})
