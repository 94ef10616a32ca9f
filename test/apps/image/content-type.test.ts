import {strict as assert} from 'node:assert'

import {contentTypeOf, sniffImageType} from '../../../src/apps/image/content-type.js'

const bytes = (...parts: Array<number[] | string>) =>
  new Uint8Array(parts.flatMap((part) => (typeof part === 'string' ? [...Buffer.from(part, 'latin1')] : part)))

const ftyp = (major: string, ...compatible: string[]) => {
  const body = `ftyp${major}\u0000\u0000\u0000\u0000${compatible.join('')}`
  return bytes([0, 0, 0, body.length + 4], body, [0, 0, 0, 8])
}

describe('content type', () => {
  it('recognises each image format from its first bytes, whatever the file is called', () => {
    const cases: Array<[string, Uint8Array]> = [
      ['image/jpeg', bytes([0xff, 0xd8, 0xff, 0xe0], 'JFIF')],
      ['image/png', bytes([0x89], 'PNG\r\n\u001a\n', [0, 0, 0, 13])],
      ['image/gif', bytes('GIF87a', [1, 0])],
      ['image/gif', bytes('GIF89a', [1, 0])],
      ['image/webp', bytes('RIFF', [36, 0, 0, 0], 'WEBPVP8 ')],
      ['image/avif', ftyp('avif', 'mif1', 'miaf')],
      ['image/avif', ftyp('mif1', 'miaf', 'avif')],
      ['image/avif', ftyp('avis', 'msf1')],
      ['image/svg+xml', bytes('<svg xmlns="http://www.w3.org/2000/svg"/>')],
      ['image/svg+xml', bytes([0xef, 0xbb, 0xbf], '<?xml version="1.0"?>\n<!-- made by hand -->\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "x.dtd">\n<svg>')],
      ['image/svg+xml', bytes('  \n<SVG viewBox="0 0 1 1">')],
    ]
    for (const [type, head] of cases) assert.equal(contentTypeOf(head, '/srv/file.bin'), type, type)
  })

  it('does not take other ISO-BMFF files (HEIC, MP4) or look-alikes for AVIF or SVG', () => {
    assert.equal(sniffImageType(ftyp('heic', 'mif1')), undefined)
    assert.equal(sniffImageType(ftyp('isom', 'mp41')), undefined)
    assert.equal(sniffImageType(bytes('RIFF', [0, 0, 0, 0], 'WAVE')), undefined)
    assert.equal(sniffImageType(bytes('<svgx>')), undefined)
    assert.equal(sniffImageType(bytes('<html><svg></svg></html>')), undefined)
    assert.equal(sniffImageType(bytes(' '.repeat(4000), 'x')), undefined)
    assert.equal(sniffImageType(new Uint8Array(0)), undefined)
  })

  it('falls back to the extension, then to application/octet-stream', () => {
    assert.equal(contentTypeOf(bytes('?'), '/srv/photo.HEIC'), 'image/heic')
    assert.equal(contentTypeOf(bytes('?'), '/srv/icon.ico'), 'image/x-icon')
    assert.equal(contentTypeOf(bytes('?'), '/srv/notes.txt'), 'application/octet-stream')
    assert.equal(contentTypeOf(bytes('?'), '/srv/no-extension'), 'application/octet-stream')
  })

  it('never calls HTML an HTML page: a page named .jpg is image/jpeg, one named .html is a download', () => {
    const page = bytes('<!doctype html><script>alert(1)</script>')
    assert.equal(contentTypeOf(page, '/srv/evil.jpg'), 'image/jpeg')
    assert.equal(contentTypeOf(page, '/srv/evil.html'), 'application/octet-stream')
  })
})
