// The realistic mix for a built-in server: the paths a visitor would load, each
// with the response its route must give. Expected responses come from the same
// app answering in-process once, so every response of the run can be checked
// byte for byte; the statuses the routes must have are fixed here, so a broken
// route fails at startup instead of being taken as the norm.
import {basename} from 'node:path'

import {type AppSpec, createApp} from '../apps/registry.js'
import {buildPalette} from '../apps/color/palette.js'
import type {RequestSpec} from './plan.js'

interface MixEntry {
  path: string
  status: number
}

/** A color name the palette does not hold. */
function unknownColor(names: ReadonlySet<string>): string {
  let name = 'no-such-color'
  for (let i = 2; names.has(name); i++) name = `no-such-color-${i}`
  return name
}

export function mixEntries(spec: AppSpec): MixEntry[] {
  switch (spec.kind) {
    case 'color': {
      const palette = buildPalette(spec.options.colors)
      return [
        {path: '/', status: 200},
        ...[...palette.keys()].map((name) => ({path: `/color?color=${encodeURIComponent(name)}`, status: 200})),
        {path: `/color?color=${unknownColor(new Set(palette.keys()))}`, status: 404},
      ]
    }

    case 'image': {
      const name = encodeURIComponent(basename(spec.options.file))
      return [
        {path: '/', status: 200},
        {path: `/${name}`, status: 200},
        {path: `/no-such-image-${name}`, status: 404},
      ]
    }
  }
}

/** The mix as requests, each with its expected response. Throws if a route answers with the wrong status. */
export async function buildMix(spec: AppSpec): Promise<RequestSpec[]> {
  const {app} = createApp(spec, {warn() {}})
  return Promise.all(
    mixEntries(spec).map(async ({path, status}) => {
      const response = await app.request(path)
      if (response.status !== status) {
        throw new Error(`the ${spec.kind} app answers ${path} with status ${response.status}, not ${status}`)
      }

      const body = new Uint8Array(await response.arrayBuffer())
      const expect = {body, contentType: response.headers.get('content-type'), status}
      return {expect, headers: {}, method: 'GET', path}
    }),
  )
}
