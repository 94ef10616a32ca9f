// What a pool's primary knows of each app: its startup checks and the node flags
// of its workers. Kept apart from the apps themselves, so a primary, which only
// checks and forwards connections, never loads a server.
import type {AppSpec} from './registry.js'

import {checkImageApp} from './image/check.js'

/**
 * Validates a spec once, before any worker starts, so a bad option is one error
 * line rather than a pool of crashing workers. Throws UserError.
 */
export async function checkApp(spec: AppSpec): Promise<void> {
  switch (spec.kind) {
    case 'color': {
      // The palette was validated as the flags were parsed.
      return
    }

    case 'image': {
      return checkImageApp(spec.options)
    }
  }
}

/**
 * Node flags for an app's pool workers. Streaming large files allocates fast,
 * and V8 answers by growing the young generation's semi-spaces to 16 MB each:
 * capped at 1 MB, an image worker serving 512 MB to 4 clients peaks ~10 MB
 * lower, with no throughput change measured on small files. For the color
 * server the same cap cost ~3% of requests per second, so it is left alone.
 */
export function workerNodeFlags(spec: AppSpec): string[] {
  return spec.kind === 'image' ? ['--max-semi-space-size=1'] : []
}
