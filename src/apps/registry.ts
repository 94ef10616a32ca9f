// Every app webkit can serve, by name. A worker process receives an AppSpec (plain
// JSON) and builds its own app from it, so a spec must stay serializable.
import type {ServedApp} from './served-app.js'

import {type ColorAppOptions, serveColor} from './color/app.js'
import {type ImageAppOptions, serveImage} from './image/app.js'

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
