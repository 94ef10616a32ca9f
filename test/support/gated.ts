// A handler whose responses wait until the test releases them: a request held in flight.
import type {FetchHandler} from '../../src/server/http-server.js'

/**
 * `fetch` holds every request until `release()`, then answers it with
 * `answer()` (by default `done`, with its Content-Length); `started` resolves
 * once the first request has reached it.
 */
export function gated(answer: () => Response = () => new Response('done', {headers: {'Content-Length': '4'}})) {
  let release!: () => void
  const gate = new Promise<void>((resolve) => {
    release = resolve
  })
  let arrived!: () => void
  const started = new Promise<void>((resolve) => {
    arrived = resolve
  })
  const fetch: FetchHandler = async () => {
    arrived()
    await gate
    return answer()
  }

  return {fetch, release, started}
}
