// Every page the color server can send, rendered once from the palette. A
// request only picks one of these; nothing is templated per request, so no
// request input can ever reach a page.
import {escapeHtml, renderDocument, styleHash} from '../../http/html.js'
import {HTML_TYPE, methodNotAllowed, prepare, type PreparedResponse} from '../../http/prepared.js'
import {type Color, contrastingText, type Palette} from './palette.js'

export interface ColorPages {
  /** Keyed by lowercase color name. */
  colors: ReadonlyMap<string, PreparedResponse>
  favicon: PreparedResponse
  form: PreparedResponse
  methodNotAllowed: PreparedResponse
  missingColor: PreparedResponse
  notFound: PreparedResponse
  unknownColor: PreparedResponse
}

const BASE_CSS =
  'body{font-family:system-ui,sans-serif;margin:0;min-height:100vh;display:flex;flex-direction:column;' +
  'align-items:center;justify-content:center;gap:1rem;padding:1rem;box-sizing:border-box}' +
  'h1{margin:0;font-size:2.5rem}a{color:inherit}main{max-width:40rem}' +
  // Browsers shrink a bare `monospace` to 13px; name real fonts to keep the body's size.
  'code{font-family:ui-monospace,Menlo,Consolas,"DejaVu Sans Mono",monospace;font-size:1.05em}'

function htmlPage(status: number, title: string, body: string, css: string): PreparedResponse {
  const fullCss = BASE_CSS + css
  return prepare(status, renderDocument({body, css: fullCss, icon: '/favicon.svg', title}), {
    'Cache-Control': 'no-cache',
    // Exactly what the pages use: one inline stylesheet, the favicon, the form.
    'Content-Security-Policy':
      `default-src 'none'; style-src ${styleHash(fullCss)}; img-src 'self'; ` +
      "form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
    'Content-Type': HTML_TYPE,
  })
}

function formPage(palette: Palette): PreparedResponse {
  const options = [...palette.values()]
    .map((c) => `<option value="${escapeHtml(c.name)}">${escapeHtml(c.label)}</option>`)
    .join('\n')
  const body =
    '<main>\n<h1>Choose your color</h1>\n<form action="/color" method="get">\n' +
    '<label for="color">Color</label>\n' +
    `<select id="color" name="color" required>\n${options}\n</select>\n` +
    '<button type="submit">Show me</button>\n</form>\n</main>'
  const css =
    'body{background:#f4f4f5;color:#18181b}form{display:flex;gap:.5rem;align-items:center;margin-top:1rem}' +
    'select,button{font:inherit;padding:.4rem .6rem}'
  return htmlPage(200, 'Choose your color', body, css)
}

function colorPage(color: Color): PreparedResponse {
  const text = contrastingText(color.hex)
  const name = escapeHtml(color.label)
  const body =
    `<main id="swatch" class="swatch">\n<h1>Your color is <span id="color-name">${name}</span></h1>\n` +
    `<p>Hex code <code id="color-hex">${color.hex}</code></p>\n` +
    '<p><a href="/">Choose another color</a></p>\n</main>'
  // The whole page wears the color; the text picks black or white to stay readable.
  const css =
    `body{background:${color.hex};color:${text}}` +
    `.swatch{text-align:center;padding:2rem 3rem;border:2px solid ${text};border-radius:1rem}`
  return htmlPage(200, `${color.label} color`, body, css)
}

function problemPage(status: number, title: string, message: string, palette: Palette): PreparedResponse {
  const links = [...palette.values()]
    .map((c) => `<a href="/color?color=${encodeURIComponent(c.name)}">${escapeHtml(c.label)}</a>`)
    .join(' · ')
  const body =
    `<main>\n<h1>${escapeHtml(title)}</h1>\n<p>${escapeHtml(message)}</p>\n` +
    `<p>Try one of these: ${links}</p>\n<p><a href="/">Back to the color form</a></p>\n</main>`
  return htmlPage(status, title, body, 'body{background:#fff7ed;color:#431407}')
}

function favicon(palette: Palette): PreparedResponse {
  // A ring of the palette's first colors: tiny, and spares browsers a 404.
  const colors = [...palette.values()].slice(0, 6)
  const slices = colors
    .map((c, i) => {
      const a0 = (i / colors.length) * 2 * Math.PI
      const a1 = ((i + 1) / colors.length) * 2 * Math.PI
      const p = (a: number) => `${(16 + 14 * Math.sin(a)).toFixed(2)} ${(16 - 14 * Math.cos(a)).toFixed(2)}`
      return `<path d="M16 16L${p(a0)}A14 14 0 0 1 ${p(a1)}Z" fill="${c.hex}"/>`
    })
    .join('')
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">${slices}</svg>`
  return prepare(200, svg, {
    'Cache-Control': 'public, max-age=86400',
    'Content-Security-Policy': "default-src 'none'",
    'Content-Type': 'image/svg+xml',
  })
}

export function renderColorPages(palette: Palette): ColorPages {
  return {
    colors: new Map([...palette.values()].map((c) => [c.name, colorPage(c)])),
    favicon: favicon(palette),
    form: formPage(palette),
    methodNotAllowed: methodNotAllowed(),
    missingColor: problemPage(400, 'No color chosen', 'Pick a color from the form to see it.', palette),
    notFound: problemPage(404, 'Page not found', 'There is nothing at this address.', palette),
    unknownColor: problemPage(404, 'Unknown color', 'That color is not in this palette.', palette),
  }
}
