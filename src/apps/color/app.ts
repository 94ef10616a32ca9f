// The color server as a pure Hono app: no sockets, no process state, so tests
// drive it with app.request().
import {Hono} from 'hono'

import {isReadMethod, toResponse} from '../../http/prepared.js'
import {firstQueryValue} from '../../http/query.js'
import {buildPalette, type PaletteSpec} from './palette.js'
import {renderColorPages} from './pages.js'

export interface ColorAppOptions {
  /** Added to or overriding the default palette. */
  colors?: PaletteSpec
}

export function createColorApp(options: ColorAppOptions = {}): Hono {
  const pages = renderColorPages(buildPalette(options.colors))
  const app = new Hono()

  // One synchronous handler per route keeps Hono and node-server on their fast
  // paths. Hono answers HEAD with the GET route's headers and no body.
  app.get('/', () => toResponse(pages.form))
  app.get('/favicon.svg', () => toResponse(pages.favicon))
  app.get('/color', (c) => {
    const raw = firstQueryValue(c.req.url, 'color')?.trim()
    if (!raw) return toResponse(pages.missingColor)
    return toResponse(pages.colors.get(raw.toLowerCase()) ?? pages.unknownColor)
  })
  // Reached by unknown paths and by every method other than GET and HEAD.
  app.notFound((c) => toResponse(isReadMethod(c.req.method) ? pages.notFound : pages.methodNotAllowed))
  return app
}
