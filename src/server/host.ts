// Which host a request names, judged as the app's adaptor (@hono/node-server)
// will judge it. A prepared answer may stand in for the app only for a request
// the adaptor takes as it is: one it refuses gets the adaptor's 400 instead.

/** Verdicts on Host values, kept so a client's usual Host is parsed once, not per request. */
const verdicts = new Map<string, boolean>()

/**
 * Whether the adaptor takes this Host as it is. node-server uses a Host that
 * matches its own pattern without parsing it, parses any other with WHATWG URL
 * and refuses one whose name the parser changes (more than by lower-casing it);
 * a value that URL parses to itself is therefore taken whichever way it goes.
 * That is the test here, through URL's public parser rather than a copy of
 * node-server's pattern (test/server/host.test.ts holds node-server to it).
 * Anything else is left to node-server to judge.
 */
export function isPlainHost(host: string): boolean {
  let verdict = verdicts.get(host)
  if (verdict === undefined) {
    verdict = authorityOf(host) === host
    if (verdicts.size >= 256) verdicts.clear()
    verdicts.set(host, verdict)
  }

  return verdict
}

/** The authority URL reads in `host` (lower-cased, a default port dropped), or undefined when it reads none. */
export function authorityOf(host: string): string | undefined {
  try {
    const url = new URL(`http://${host}/`)
    // Anything that is more than host and port (user info, a path) is no Host.
    return url.username === '' && url.password === '' && url.pathname === '/' && url.search === '' && url.hash === '' ? url.host : undefined
  } catch {
    return undefined
  }
}

/**
 * How a request names its host: `none`; `several` Host headers (RFC 9112
 * §3.2: a 400; Node keeps the first and drops the rest); one `simple` Host the
 * adaptor takes as it is; or one `other` it must judge itself.
 */
export type HostKind = 'none' | 'other' | 'several' | 'simple'

export function classifyHost(rawHeaders: readonly string[]): HostKind {
  let host: string | undefined
  for (let i = 0; i < rawHeaders.length; i += 2) {
    if (isHostName(rawHeaders[i])) {
      if (host !== undefined) return 'several'
      host = rawHeaders[i + 1]
    }
  }

  if (host === undefined) return 'none'
  return isPlainHost(host) ? 'simple' : 'other'
}

/** The value of the first Host header, if any. */
export function hostHeader(rawHeaders: readonly string[]): string | undefined {
  for (let i = 0; i < rawHeaders.length; i += 2) {
    if (isHostName(rawHeaders[i])) return rawHeaders[i + 1]
  }

  return undefined
}

/** `Host` in any letter case; the usual spelling without making a lower-case copy (this runs for every request). */
function isHostName(name: string): boolean {
  return name.length === 4 && (name === 'Host' || name.toLowerCase() === 'host')
}
