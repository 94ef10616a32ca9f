// The addresses a server can be reached at, for banners and for clients.
import {networkInterfaces} from 'node:os'

const WILDCARDS = new Set(['', '0.0.0.0', '::'])

function formatHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host
}

/** A URL a client on this machine can connect to. */
export function connectUrl(host: string, port: number): string {
  if (host === '::') return `http://[::1]:${port}`
  return `http://${WILDCARDS.has(host) ? '127.0.0.1' : formatHost(host)}:${port}`
}

/** The URL for people on this machine: localhost when listening on every address. */
export function localUrl(host: string, port: number): string {
  return `http://${WILDCARDS.has(host) ? 'localhost' : formatHost(host)}:${port}/`
}

/** URLs other machines can use: every external interface address when listening on all of them. */
export function networkUrls(host: string, port: number): string[] {
  if (!WILDCARDS.has(host)) return []
  const ipv6 = host === '::'
  return Object.values(networkInterfaces())
    .flat()
    .filter((a) => a && !a.internal && (a.family === 'IPv4' || (ipv6 && !a.address.startsWith('fe80'))))
    .map((a) => `http://${formatHost(a!.address)}:${port}/`)
}
