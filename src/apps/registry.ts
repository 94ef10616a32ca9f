// Every app webkit can serve, by name. A worker process receives an AppSpec (plain
// JSON) and builds its own app from it, so a spec must stay serializable.
import type {ServedApp} from '../http/shortcut.js'

import {type ColorAppOptions, serveColor} from './color/app.js'
import {type ImageAppOptions, serveImage} from './image/app.js'
import {checkImageApp} from './image/check.js'

export type AppSpec = {kind: 'color'; options: ColorAppOptions} | {kind: 'image'; options: ImageAppOptions}

export interface AppContext {
  /** Reports a problem worth a log line but not worth stopping for. */
  warn(message: string): void
}

export function createApp(spec: AppSpec, context: AppContext): ServedApp {
  switch (spec.kind) {
    case 'color': {
      return serveColor(spec.options)
    }

    case 'image': {
      return serveImage(spec.options, context)
    }
  }
}

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
