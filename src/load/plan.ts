// What the load engine is asked to do: which servers, which requests, how many
// connections and for how long. Plain data, so a plan can be handed to worker threads.

/** What one request must get back, when its route is known (the built-in servers). */
export interface Expectation {
  /** The exact body bytes; their length is the expected Content-Length. */
  body: Uint8Array
  /** null: the response must not carry a Content-Type. */
  contentType: null | string
  status: number
}

export interface RequestSpec {
  body?: string
  expect?: Expectation
  /** Sent in addition to Host, Content-Length and User-Agent. */
  headers: Record<string, string>
  method: string
  /** Path and query, as sent on the request line. */
  path: string
}

/** One server: every connection to it cycles through its requests. */
export interface TargetPlan {
  /** How many X-Instance values must answer (servers behind a balancer); null: not checked. */
  expectInstances: null | number
  /** How many workers must answer (of each instance, when the server names its instances); null when unknown (any server given by --url). */
  expectWorkers: null | number
  host: string
  /** For reports: "color", "image", or the origin of a --url. */
  name: string
  port: number
  requests: RequestSpec[]
  /** The origin, e.g. http://127.0.0.1:6421. */
  url: string
}

/** One of several generators running one plan together (--segment I/N): `index` is I - 1. */
export interface Segment {
  count: number
  index: number
}

/** The whole plan, in one generator. */
export const WHOLE: Segment = {count: 1, index: 0}

export interface LoadLimits {
  /** The whole plan's connections; a segment gets its share. */
  connections: number
  /** Measured time; ignored when `requests` is set. */
  durationMs: number
  /** Exactly this many measured requests, then stop; null: run for durationMs. */
  requests: null | number
  /** Requests per second for the whole run, evenly spaced; null: each connection sends as fast as it is answered. */
  rate: null | number
  /** This generator's share of the plan. */
  segment: Segment
  /** worker_threads sharing the connections (1: all in this thread). */
  threads: number
  timeoutMs: number
  /** Load before the measurement starts, left out of every statistic. */
  warmupMs: number
}

export interface LoadPlan {
  /**
   * Status codes that count as success for requests without an Expectation:
   * exact codes ("204") or classes ("2xx").
   */
  expectStatus: string[]
  limits: LoadLimits
  targets: TargetPlan[]
}

/** How many of `total` items, dealt out in turn over `parts`, land on part `index`. */
export function shareOf(total: number, index: number, parts: number): number {
  return Math.floor(total / parts) + (index < total % parts ? 1 : 0)
}

/**
 * Which of the plan's items (connections, requests, the sends of a rate) a
 * load thread takes: items offset, offset + stride, ... Segment s of S takes
 * the items ≡ s (mod S), and its thread t of T every T-th of those, so the
 * lanes of all generators and threads partition the plan exactly, whatever
 * each generator's thread count.
 */
export interface Lane {
  offset: number
  stride: number
}

export function laneOf(segment: Segment, thread: number, threads: number): Lane {
  return {offset: segment.index + segment.count * thread, stride: segment.count * threads}
}
