// The palette: named colors the form offers. Lookups go through a Map so names
// such as "__proto__" or "constructor" are simply unknown.
export interface Color {
  /** #RRGGBB, uppercase. */
  hex: string
  /** Title-cased, for people. */
  label: string
  /** Lowercase, as it appears in URLs. */
  name: string
}

export type Palette = ReadonlyMap<string, Color>

/** name → #RRGGBB, as given by --color or the defaults. */
export type PaletteSpec = Record<string, string>

/** The original project's thirteen colors, in its order. */
export const DEFAULT_COLORS: Readonly<PaletteSpec> = Object.freeze({
  red: '#FF0000',
  green: '#00FF00',
  blue: '#0000FF',
  orange: '#FFA500',
  purple: '#800080',
  brown: '#A52A2A',
  pink: '#FF69B4',
  gray: '#808080',
  cyan: '#00FFFF',
  magenta: '#FF00FF',
  yellow: '#FFFF00',
  black: '#000000',
  white: '#FFFFFF',
})

const NAME = /^[a-z][a-z0-9-]{0,31}$/
const HEX = /^#[0-9a-f]{6}$/i

/** Parses one `NAME=#RRGGBB`; the message says what to type instead. */
export function parseColorEntry(entry: string): [name: string, hex: string] {
  const eq = entry.indexOf('=')
  const name = (eq === -1 ? entry : entry.slice(0, eq)).trim().toLowerCase()
  const hex = eq === -1 ? '' : entry.slice(eq + 1).trim()
  if (eq === -1 || !NAME.test(name) || !HEX.test(hex)) {
    throw new Error(
      `invalid --color "${entry}": expected NAME=#RRGGBB, a name of letters, digits and dashes (e.g. teal=#008080)`,
    )
  }

  return [name, hex.toUpperCase()]
}

/** Parses `--color` values; each may hold several entries separated by commas. */
export function parseColorFlags(values: readonly string[]): PaletteSpec {
  const spec: PaletteSpec = {}
  for (const value of values) {
    for (const entry of value.split(',')) {
      if (entry.trim() === '') continue
      const [name, hex] = parseColorEntry(entry)
      spec[name] = hex
    }
  }

  return spec
}

function titleCase(name: string): string {
  return name
    .split('-')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join(' ')
}

/** The default palette with `overrides` applied: existing names change, new ones are appended. */
export function buildPalette(overrides: PaletteSpec = {}): Palette {
  const merged: PaletteSpec = {...DEFAULT_COLORS}
  for (const [name, hex] of Object.entries(overrides)) {
    const [key, value] = parseColorEntry(`${name}=${hex}`)
    merged[key] = value
  }

  const palette = new Map<string, Color>()
  for (const [name, hex] of Object.entries(merged)) {
    palette.set(name, {hex: hex.toUpperCase(), label: titleCase(name), name})
  }

  return palette
}

/** Black or white, whichever reads better on `hex` (WCAG relative luminance). */
export function contrastingText(hex: string): '#000000' | '#FFFFFF' {
  const channel = (offset: number) => {
    const c = Number.parseInt(hex.slice(offset, offset + 2), 16) / 255
    return c <= 0.039_28 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
  }

  const luminance = 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5)
  // The crossover where black and white text have equal contrast ratios.
  return luminance > 0.179 ? '#000000' : '#FFFFFF'
}
