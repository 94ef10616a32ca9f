// The image server's HTML pages, rendered once. Nothing from a request ever
// reaches them: an unknown path is not echoed back, so it cannot inject markup.
import {renderDocument, styleHash} from '../../http/html.js'
import {HTML_TYPE, methodNotAllowed, prepare, type PreparedResponse} from '../../http/prepared.js'

export interface ImagePages {
  methodNotAllowed: PreparedResponse
  /** A path other than the image's. */
  notFound: PreparedResponse
  /** The right path, but the file is missing or cannot be read just now. */
  unavailable: PreparedResponse
}

const CSS =
  'body{font-family:system-ui,sans-serif;margin:0;min-height:100vh;display:flex;align-items:center;' +
  'justify-content:center;padding:1rem;box-sizing:border-box;background:#fdf2f8;color:#500724}' +
  'main{max-width:36rem;text-align:center}h1{margin:0 0 1rem;font-size:2.25rem}a{color:inherit}'

function page(title: string, message: string): PreparedResponse {
  const body = `<main>\n<h1>${title}</h1>\n<p>${message}</p>\n<p><a href="/">See the image</a></p>\n</main>`
  return prepare(404, renderDocument({body, css: CSS, title}), {
    'Cache-Control': 'no-store',
    'Content-Security-Policy': `default-src 'none'; style-src ${styleHash(CSS)}; base-uri 'none'; frame-ancestors 'none'`,
    'Content-Type': HTML_TYPE,
  })
}

export function renderImagePages(): ImagePages {
  return {
    methodNotAllowed: methodNotAllowed(),
    notFound: page('404 Image Not Found', 'There is no image at this address. This server has exactly one.'),
    unavailable: page('404 Image Not Found', 'The image is not available right now. Try again in a moment.'),
  }
}
