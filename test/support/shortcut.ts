// Holds a shortcut to its promise: for the requests it answers, exactly what the app answers.
import {strict as assert} from 'node:assert'

import type {ServedApp} from '../../src/apps/served-app.js'
import {appRequest} from './app-request.js'

/**
 * Asks the shortcut and the app the same request; the shortcut must answer it
 * (unless `declines`) with the app's status, headers and body.
 */
export async function assertShortcutAgrees(
  served: ServedApp,
  url: string,
  options: {declines?: boolean; headers?: Record<string, string>; method?: string} = {},
): Promise<void> {
  const {headers = {}, method = 'GET'} = options
  const prepared = served.shortcut?.({method, rawHeaders: Object.entries(headers).flat(), url})
  const what = `${method} ${url} ${JSON.stringify(headers)}`
  if (options.declines) {
    assert.equal(prepared, undefined, `the shortcut must leave ${what} to the app`)
    return
  }

  assert.ok(prepared, `the shortcut answers ${what}`)
  const res = await appRequest(served.app)(url, {headers, method})
  assert.equal(prepared.status, res.status, `status of ${what}`)
  const lower = (entries: Iterable<[string, string]>) =>
    Object.fromEntries([...entries].map(([name, value]) => [name.toLowerCase(), value]).sort())
  assert.deepEqual(lower(Object.entries(prepared.headers)), lower(res.headers), `headers of ${what}`)
  const body = Buffer.from(await res.arrayBuffer())
  if (method === 'HEAD') assert.equal(body.length, 0)
  else assert.ok(body.equals(prepared.body), `body of ${what}`)
}
