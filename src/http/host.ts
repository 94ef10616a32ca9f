// Which Host values the app's adaptor takes as they are, judged once per value.

/** The Host values @hono/node-server takes as they are, without a look (its own test, copied). */
const NODE_SERVER_HOST = /^[a-z0-9._-]+(?::(?:[1-5]\d{3,4}|[6-9]\d{3}))?$/
/** Verdicts on other Host values, kept so a client's usual Host is parsed once, not per request. */
const verdicts = new Map<string, boolean>()

/**
 * Whether the app's adaptor would take this Host as it is: node-server
 * parses any value its test does not pass and refuses one whose name the
 * parser changes. A value that parses to itself is safe; anything else is
 * left to node-server to judge.
 */
export function isPlainHost(host: string): boolean {
  if (NODE_SERVER_HOST.test(host)) return true
  let verdict = verdicts.get(host)
  if (verdict === undefined) {
    verdict = parsesToItself(host)
    if (verdicts.size >= 256) verdicts.clear()
    verdicts.set(host, verdict)
  }

  return verdict
}

function parsesToItself(host: string): boolean {
  try {
    return new URL(`http://${host}/`).host === host
  } catch {
    return false
  }
}
