// The color server as a pure Hono app: no sockets, no process state, so tests
// drive it with app.request().
import {Hono} from 'hono'

import type {ServedApp, Shortcut} from '../served-app.js'

import {isReadMethod, type PreparedResponse, toResponse} from '../../http/prepared.js'
import {firstQueryValue} from '../../http/query.js'
import {buildPalette, type PaletteSpec} from './palette.js'
import {type ColorPages, renderColorPages} from './pages.js'

export interface ColorAppOptions {
  /** Added to or overriding the default palette. */
  colors?: PaletteSpec
}

export function createColorApp(options: ColorAppOptions = {}): Hono {
  return serveColor(options).app
}

/** The app and its shortcut, both over the same pages. */
export function serveColor(options: ColorAppOptions = {}): ServedApp {
  const pages = renderColorPages(buildPalette(options.colors))
  return {app: colorApp(pages), shortcut: colorShortcut(pages)}
}

function colorApp(pages: ColorPages): Hono {
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

/**
 * The URLs people and the form actually send, exactly as sent: the form, the
 * icon, and `/color?color=<name>` for each color. Any other spelling (case,
 * spaces, more parameters) goes to the app, which answers it the same way.
 */
export function colorShortcut(pages: ColorPages): Shortcut {
  const byUrl = new Map<string, PreparedResponse>([
    ['/', pages.form],
    ['/favicon.svg', pages.favicon],
  ])
  for (const [name, page] of pages.colors) {
    if (encodeURIComponent(name) === name) byUrl.set(`/color?color=${name}`, page)
  }

  return ({method, url}) => (method === 'GET' || method === 'HEAD' ? byUrl.get(url ?? '') : undefined)
}
