// The image server as a pure Hono app: one file, served on `/` and on its own
// name, the way a production file server would. Only that file is ever read:
// no part of the URL becomes a filesystem path.
import {type Context, Hono} from 'hono'
import {basename} from 'node:path'

import type {AppContext} from '../registry.js'
import type {FileVersion} from './file-version.js'

import {isReadMethod, toResponse} from '../../http/prepared.js'
import {alreadySent, nodeResponse} from '../../http/node-env.js'
import {hasHeader, type ServedApp, type Shortcut} from '../served-app.js'
import {DEFAULT_CACHE_CONTROL, DEFAULT_MEMORY_LIMIT} from './defaults.js'
import {streamSegments, writeSegments} from './file-stream.js'
import {joinSegments} from './multipart.js'
import {renderImagePages} from './pages.js'
import {planInput} from './plan-input.js'
import {type Plan, type PlanInput, planResponse} from './plan.js'
import {represent, type Representation} from './representation.js'
import {WatchedFile} from './watched-file.js'

export interface ImageAppOptions {
  /** Cache-Control of the image's responses. */
  cacheControl?: string
  /** Absolute path of the one file served. */
  file: string
  /** Files up to this many bytes are held in memory; bigger ones are streamed from disk. */
  memoryLimit?: number
}

const defaultContext: AppContext = {warn: (message) => console.warn(message)}

export function createImageApp(options: ImageAppOptions, context: AppContext = defaultContext): Hono {
  return serveImage(options, context).app
}

/** Request headers after which the answer is more than the plain 200. */
const CONDITIONAL: ReadonlySet<string> = new Set(['if-match', 'if-modified-since', 'if-none-match', 'if-range', 'if-unmodified-since', 'range'])

/** The app and its shortcut, both over the same watched file. */
export function serveImage(options: ImageAppOptions, context: AppContext = defaultContext): ServedApp {
  const cacheControl = options.cacheControl ?? DEFAULT_CACHE_CONTROL
  const pages = renderImagePages()
  const file = new WatchedFile({memoryLimit: options.memoryLimit ?? DEFAULT_MEMORY_LIMIT, path: options.file, warn: context.warn})
  const imagePath = `/${basename(options.file)}`
  // The shortcut compares raw URLs, so it knows the name only when it needs no percent-encoding.
  const shortcutPaths = new Set(encodeURIComponent(basename(options.file)) === basename(options.file) ? ['/', imagePath] : ['/'])
  let last: Representation | undefined
  const representation = (version: FileVersion) => (last?.version === version ? last : (last = represent(version, cacheControl)))

  /** The response, or undefined when its body has to be streamed from disk. */
  function answer(rep: Representation, plan: Plan, head: boolean): Response | undefined {
    switch (plan.kind) {
      case 'not-modified': {
        return new Response(null, {headers: rep.notModifiedHeaders, status: 304})
      }

      case 'precondition-failed': {
        return toResponse(rep.preconditionFailed)
      }

      case 'unsatisfiable': {
        return toResponse(rep.unsatisfiable)
      }

      case 'full': {
        if (head) return new Response(null, {headers: rep.fullHeaders})
        return rep.full && toResponse(rep.full)
      }

      case 'partial': {
        const {bytes} = rep.version
        if (bytes === undefined) return undefined
        const [first] = plan.segments
        const body =
          plan.segments.length === 1 && !(first instanceof Uint8Array)
            ? bytes.subarray(first.start, first.end + 1)
            : joinSegments(plan.segments, bytes, Number(plan.headers['Content-Length']))
        return new Response(body, {headers: plan.headers, status: 206})
      }
    }
  }

  /** Streams the body, answering for whatever version the opened file turns out to be. */
  async function stream(c: Context, rep: Representation, plan: Plan, input: PlanInput): Promise<Response> {
    const opened = await file.open()
    if (opened === undefined) return toResponse(pages.unavailable)
    if (opened.version !== rep.version) {
      rep = representation(opened.version)
      plan = planResponse(rep, input)
      const response = answer(rep, plan, input.head)
      if (response !== undefined) {
        await opened.handle?.close()
        return response
      }
    }

    // Only a version held in memory comes without its file, and it is always answered above.
    if (opened.handle === undefined) throw new Error(`${options.file} was opened without a handle to stream from`)
    const {handle, stamp} = opened
    const {size} = rep.version
    const [status, headers, segments] =
      plan.kind === 'partial' ? [206, plan.headers, plan.segments] : [200, rep.fullHeaders, [{end: size - 1, start: 0}]]
    const res = nodeResponse(c)
    if (res === undefined) return new Response(streamSegments(handle, segments, stamp), {headers, status})
    res.writeHead(status, headers)
    writeSegments(handle, segments, res, stamp).catch((error: Error) => context.warn(`sending ${options.file} failed: ${error.message}`))
    return alreadySent()
  }

  function respond(c: Context, version: FileVersion | undefined): Promise<Response> | Response {
    if (version === undefined) return toResponse(pages.unavailable)
    const rep = representation(version)
    const input = planInput(c)
    const plan = planResponse(rep, input)
    return answer(rep, plan, input.head) ?? stream(c, rep, plan, input)
  }

  const app = new Hono()
  // One synchronous handler keeps Hono and node-server on their fast paths
  // while the file is in memory and fresh. HEAD runs it too (Hono maps HEAD to
  // GET routes); the handler answers HEAD itself, so no file is opened for it.
  app.get('*', (c): Promise<Response> | Response => {
    if (!isImagePath(c.req.path, c.req.url, imagePath)) return toResponse(pages.notFound)
    const version = file.current()
    if (version instanceof Promise) return version.then((v) => respond(c, v))
    return respond(c, version)
  })
  app.notFound((c) => toResponse(isReadMethod(c.req.method) ? pages.notFound : pages.methodNotAllowed))

  /**
   * The plain fetch of the image held in memory: GET or HEAD of its exact path
   * with no conditional or range header, while the version in hand may be used.
   */
  const shortcut: Shortcut = ({method, rawHeaders, url}) => {
    if ((method !== 'GET' && method !== 'HEAD') || !shortcutPaths.has(url ?? '')) return undefined
    if (hasHeader(rawHeaders, CONDITIONAL)) return undefined
    const version = file.current()
    if (version === undefined || version instanceof Promise) return undefined
    return representation(version).full
  }

  return {app, shortcut}
}

/** `/`, or the file's own name however it was percent-encoded. */
function isImagePath(path: string, url: string, imagePath: string): boolean {
  if (path === '/' || path === imagePath) return true
  // Hono leaves reserved characters encoded (%23, %3F...): decode the raw path fully.
  if (!url.includes('%')) return false
  try {
    return decodeURIComponent(new URL(url).pathname) === imagePath
  } catch {
    return false
  }
}
