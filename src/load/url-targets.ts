// --url mode: turn the user's URLs into targets (one per origin), and make sure
// something is listening before the run, so a typo is one clear line.
import {lookup} from 'node:dns/promises'
import {connect} from 'node:net'

import type {RequestSpec, TargetPlan} from './plan.js'

import {UserError} from '../errors.js'

export interface UrlRequest {
  body?: string
  headers: Record<string, string>
  method: string
}

/** Groups URLs by origin: each origin is one server, loaded with its paths in turn. */
export function targetsFromUrls(
  urls: readonly string[],
  request: UrlRequest,
  expectWorkers: null | number,
  expectInstances: null | number = null,
): TargetPlan[] {
  const byOrigin = new Map<string, {paths: string[]; url: URL}>()
  for (const raw of urls) {
    const url = parseUrl(raw)
    const entry = byOrigin.get(url.origin) ?? {paths: [], url}
    entry.paths.push(url.pathname + url.search)
    byOrigin.set(url.origin, entry)
  }

  return [...byOrigin].map(([origin, {paths, url}]) => ({
    expectInstances,
    expectWorkers,
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    name: url.host,
    port: Number(url.port || 80),
    requests: paths.map((path): RequestSpec => ({...request, path})),
    url: origin,
  }))
}

function parseUrl(raw: string): URL {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw new UserError(`--url "${raw}" is not a URL: give a full one such as http://127.0.0.1:6421/`)
  }

  if (url.protocol === 'https:') throw new UserError(`--url "${raw}": https is not supported; load the server over plain http://`)
  if (url.protocol !== 'http:') throw new UserError(`--url "${raw}" must start with http://`)
  if (url.username || url.password) throw new UserError(`--url "${raw}": put credentials in --header "Authorization: ..." instead`)
  return url
}

/**
 * Resolves each target's host once (the engine then connects to the address)
 * and opens one connection to it. Throws UserError when nothing listens.
 */
export async function resolveAndProbe(targets: TargetPlan[], timeoutMs: number): Promise<TargetPlan[]> {
  return Promise.all(
    targets.map(async (target) => {
      let address: string
      try {
        address = (await lookup(target.host)).address
      } catch {
        throw new UserError(`cannot resolve host "${target.host}" of --url ${target.url}: check the spelling`)
      }

      await probe(address, target, timeoutMs)
      return {...target, host: address}
    }),
  )
}

/** Errors that mean no connection can be made at all. */
const UNREACHABLE = new Set(['EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL'])

function probe(address: string, target: TargetPlan, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect({host: address, port: target.port})
    const timer = setTimeout(() => {
      socket.destroy()
      reject(new UserError(`no answer from ${target.url} within ${timeoutMs / 1000} s: is the address right? (--timeout sets the limit)`))
    }, timeoutMs)
    socket.once('connect', () => {
      clearTimeout(timer)
      socket.destroy()
      resolve()
    })
    socket.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer)
      socket.destroy()
      // Only a refusal means nothing listens. A server that resets or closes
      // at once is there, misbehaving: the run counts what it does.
      if (error.code === 'ECONNREFUSED') {
        reject(new UserError(`nothing is listening at ${target.url} (connection refused): start the server first, or check --url`))
      } else if (UNREACHABLE.has(error.code ?? '')) {
        reject(new UserError(`cannot reach ${target.url} (${error.code}): check the address and the network`))
      } else {
        resolve()
      }
    })
  })
}
