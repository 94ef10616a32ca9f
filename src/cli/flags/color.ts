// The flags of `serve color`.
import {Flags} from '@oclif/core'

import {parseColorFlags, type PaletteSpec} from '../../apps/color/palette.js'
import {userInput} from '../parse.js'

export const colorFlags = {
  color: Flags.string({
    // oclif's env support splits a multiple flag's value oddly: WEBKIT_COLOR is read in colorsFrom().
    description: 'Add or override a palette color as NAME=#RRGGBB (repeatable; commas separate several) [env: WEBKIT_COLOR]',
    helpValue: '<name=#rrggbb>',
    multiple: true,
    parse: userInput((input) => {
      parseColorFlags([input])
      return input
    }),
  }),
}

/** The palette overrides from --color, or from WEBKIT_COLOR when no --color is given. */
export async function colorsFrom(flags: {color?: string[]}): Promise<PaletteSpec> {
  const values = flags.color ?? (process.env.WEBKIT_COLOR ? [process.env.WEBKIT_COLOR] : [])
  return userInput((input: string) => parseColorFlags(input === '' ? [] : input.split('\u0000')))(values.join('\u0000'))
}
