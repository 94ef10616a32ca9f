// The flags of `serve image`.
import {Flags} from '@oclif/core'
import {resolve} from 'node:path'

import type {ImageAppOptions} from '../../apps/image/app.js'

import {parseCacheControl} from '../../apps/image/cache-control.js'
import {BUNDLED_IMAGE, DEFAULT_CACHE_CONTROL} from '../../apps/image/defaults.js'
import {userInput} from '../parse.js'

export const imageFlags = {
  'cache-control': Flags.string({
    default: DEFAULT_CACHE_CONTROL,
    description: 'Cache-Control header of the image responses',
    env: 'WEBKIT_CACHE_CONTROL',
    helpValue: '<value>',
    parse: userInput(parseCacheControl),
  }),
  file: Flags.string({
    char: 'f',
    default: async () => BUNDLED_IMAGE,
    defaultHelp: async () => 'the bundled assets/rick_roll.jpg',
    description: 'Image file to serve; changes on disk are picked up within a second',
    env: 'WEBKIT_FILE',
    helpValue: '<path>',
    // The bundled image's path belongs to the installed package, not the machine that built it.
    noCacheDefault: true,
    parse: userInput((input) => {
      if (input.trim() === '') throw new Error('--file must be the path of an image file, got an empty value')
      return input
    }),
  }),
}

export function toImageOptions(flags: {'cache-control': string; file: string}): ImageAppOptions {
  return {cacheControl: flags['cache-control'], file: resolve(flags.file)}
}
