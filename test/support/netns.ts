// Hosts for tests of what crosses a network: Linux network namespaces joined
// by veth pairs to one bridge, addressed in 198.18.0.0/24 (RFC 2544's
// benchmarking range), all made by the test and removed after it. Needs root
// (CI runs as root); where namespaces cannot be made, say why.
import {execFileSync, spawn} from 'node:child_process'

export interface TestNetwork {
  /** The namespace name of a host. */
  ns(host: string): string
  /** The address of a host. */
  address(host: string): string
  /** Runs a command in a host's namespace, as a child process. */
  spawn(host: string, command: string, args: string[], env?: NodeJS.ProcessEnv): ReturnType<typeof spawn>
  remove(): void
}

const ip = (...args: string[]) => execFileSync('ip', args, {stdio: ['ignore', 'ignore', 'pipe']})

/** Why namespaces cannot be made here, or undefined when they can. */
export function netnsUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'network namespaces need root'
  const probe = `wk${process.pid}probe`
  try {
    ip('netns', 'add', probe)
    ip('netns', 'del', probe)
    return undefined
  } catch (error) {
    return `ip netns add failed: ${String((error as {stderr?: Buffer}).stderr ?? error).trim()}`
  }
}

/**
 * Makes one namespace per host, each with an address on a bridge in a
 * namespace of its own, so nothing of the machine's own network changes.
 * Hosts get 198.18.0.10, .11, ... in the order given.
 */
export function makeNetwork(hosts: string[]): TestNetwork {
  const tag = `wk${process.pid % 100_000}`
  const ns = (host: string) => `${tag}-${host}`
  const sw = `${tag}-sw`
  const addresses = new Map(hosts.map((host, i) => [host, `198.18.0.${10 + i}`]))
  const made: string[] = []
  const remove = () => {
    // Deleting a namespace deletes its ends of the veth pairs, and so their peers.
    for (const name of made.reverse()) {
      try {
        ip('netns', 'del', name)
      } catch {}
    }

    made.length = 0
  }

  try {
    ip('netns', 'add', sw)
    made.push(sw)
    ip('-n', sw, 'link', 'add', 'br0', 'type', 'bridge')
    ip('-n', sw, 'link', 'set', 'br0', 'up')
    for (const [i, host] of hosts.entries()) {
      const name = ns(host)
      ip('netns', 'add', name)
      made.push(name)
      ip('-n', name, 'link', 'set', 'lo', 'up')
      // Made in the host's namespace, the switch end moved to the bridge's.
      ip('-n', name, 'link', 'add', 'eth0', 'type', 'veth', 'peer', 'name', `p${i}`)
      ip('-n', name, 'link', 'set', `p${i}`, 'netns', sw)
      ip('-n', sw, 'link', 'set', `p${i}`, 'master', 'br0')
      ip('-n', sw, 'link', 'set', `p${i}`, 'up')
      ip('-n', name, 'addr', 'add', `${addresses.get(host)}/24`, 'dev', 'eth0')
      ip('-n', name, 'link', 'set', 'eth0', 'up')
    }
  } catch (error) {
    remove()
    throw error
  }

  return {
    address: (host) => addresses.get(host)!,
    ns,
    remove,
    spawn: (host, command, args, env = {}) =>
      spawn('ip', ['netns', 'exec', ns(host), command, ...args], {env: {...process.env, ...env}, stdio: ['ignore', 'pipe', 'pipe']}),
  }
}
