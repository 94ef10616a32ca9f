// The Content-Type of the served file: from its first bytes when they are a
// known image format, else from its extension, else a type no browser renders.
import {extname} from 'node:path'

/** How many leading bytes sniffing looks at (enough to skip an SVG's prolog). */
export const SNIFF_BYTES = 4096

export const FALLBACK_TYPE = 'application/octet-stream'

const BY_EXTENSION: Readonly<Record<string, string>> = {
  '.apng': 'image/apng',
  '.avif': 'image/avif',
  '.bmp': 'image/bmp',
  '.gif': 'image/gif',
  '.heic': 'image/heic',
  '.heif': 'image/heif',
  '.ico': 'image/x-icon',
  '.jpeg': 'image/jpeg',
  '.jpg': 'image/jpeg',
  '.jxl': 'image/jxl',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.tif': 'image/tiff',
  '.tiff': 'image/tiff',
  '.webp': 'image/webp',
}

const startsWith = (bytes: Uint8Array, signature: readonly number[], offset = 0) =>
  bytes.length >= offset + signature.length && signature.every((byte, i) => bytes[offset + i] === byte)

const ascii = (text: string) => [...text].map((ch) => ch.charCodeAt(0))

const JPEG = [0xff, 0xd8, 0xff]
const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]
const GIF87 = ascii('GIF87a')
const GIF89 = ascii('GIF89a')
const RIFF = ascii('RIFF')
const WEBP = ascii('WEBP')
const FTYP = ascii('ftyp')
const AVIF_BRANDS = new Set(['avif', 'avis'])

/** The image type the bytes announce, or undefined when they announce none webkit knows. */
export function sniffImageType(head: Uint8Array): string | undefined {
  if (startsWith(head, JPEG)) return 'image/jpeg'
  if (startsWith(head, PNG)) return 'image/png'
  if (startsWith(head, GIF87) || startsWith(head, GIF89)) return 'image/gif'
  if (startsWith(head, RIFF) && startsWith(head, WEBP, 8)) return 'image/webp'
  if (isAvif(head)) return 'image/avif'
  if (isSvg(head)) return 'image/svg+xml'
  return undefined
}

/** An ISO-BMFF `ftyp` box whose major or compatible brands name AVIF. */
function isAvif(head: Uint8Array): boolean {
  if (!startsWith(head, FTYP, 4)) return false
  const boxSize = new DataView(head.buffer, head.byteOffset, head.byteLength).getUint32(0)
  const end = Math.min(boxSize, head.length)
  // Major brand at 8, minor version at 12, compatible brands from 16.
  for (let at = 8; at + 4 <= end; at += at === 8 ? 8 : 4) {
    if (AVIF_BRANDS.has(String.fromCharCode(...head.subarray(at, at + 4)))) return true
  }

  return false
}

// An optional BOM, then whitespace, XML declaration, comments and a doctype in
// any order, then the <svg root element. One whitespace character per step:
// `\s+` inside the repetition would backtrack exponentially.
const SVG_PROLOG = /^\uFEFF?(?:\s|<\?xml[^>]*\?>|<!--[\s\S]*?-->|<!DOCTYPE[^>[]*(?:\[[\s\S]*?\])?\s*>)*<svg[\s>/]/i

function isSvg(head: Uint8Array): boolean {
  const text = new TextDecoder('utf-8', {fatal: false}).decode(head)
  return SVG_PROLOG.test(text)
}

export function typeFromExtension(path: string): string | undefined {
  return BY_EXTENSION[extname(path).toLowerCase()]
}

/** The file's Content-Type: its bytes first, its name second. */
export function contentTypeOf(head: Uint8Array, path: string): string {
  return sniffImageType(head) ?? typeFromExtension(path) ?? FALLBACK_TYPE
}
