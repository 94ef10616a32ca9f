// Startup checks of the image server's options, run once before any worker
// starts: a --file that can never be served is a one-line error, not a pool of
// workers answering 404. A missing file is allowed (it may appear later).
import {open} from 'node:fs/promises'

import type {ImageAppOptions} from './app.js'

import {UserError} from '../../errors.js'
import {parseCacheControl} from './cache-control.js'
import {describe, isMissing, OPEN_FLAGS} from './watched-file.js'

export async function checkImageApp(options: ImageAppOptions): Promise<void> {
  if (options.cacheControl !== undefined) {
    try {
      parseCacheControl(options.cacheControl)
    } catch (error) {
      throw new UserError((error as Error).message)
    }
  }

  const fail = (problem: string) => new UserError(`--file ${options.file} ${problem}: give the path of a readable image file`)
  let handle
  try {
    handle = await open(options.file, OPEN_FLAGS)
  } catch (error) {
    if (isMissing(error)) return
    throw fail(describe(error))
  }

  try {
    const stats = await handle.stat()
    if (stats.isDirectory()) throw fail('is a directory')
    if (!stats.isFile()) throw fail('is not a regular file')
  } finally {
    await handle.close()
  }
}
