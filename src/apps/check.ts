// Startup checks of every app's options, kept apart from the apps themselves so
// a pool's primary, which only checks and forwards, never loads a server.
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
