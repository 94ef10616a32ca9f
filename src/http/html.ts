// HTML building blocks shared by every app's pages. Pages are rendered once at
// startup, so nothing here sits on a request's path.
import {createHash} from 'node:crypto'

const ESCAPES: Record<string, string> = {
  '"': '&quot;',
  '&': '&amp;',
  "'": '&#39;',
  '<': '&lt;',
  '>': '&gt;',
}

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replaceAll(/["&'<>]/g, (ch) => ESCAPES[ch])
}

/** The CSP source that allows exactly this inline stylesheet and no other. */
export function styleHash(css: string): string {
  return `'sha256-${createHash('sha256').update(css, 'utf8').digest('base64')}'`
}

export interface HtmlDocument {
  /** Escaped HTML for inside <body>. */
  body: string
  /** One inline stylesheet; the page's CSP allows it by hash. */
  css: string
  /**
   * An SVG icon the app serves, linked so browsers fetch it rather than guess
   * /favicon.ico. The page's CSP must allow it (img-src); without one, no link.
   */
  icon?: string
  lang?: string
  title: string
}

/** A complete HTML5 document. The caller escapes `body`; the title is escaped here. */
export function renderDocument({body, css, icon, lang = 'en', title}: HtmlDocument): string {
  const iconLink = icon === undefined ? '' : `<link rel="icon" href="${escapeHtml(icon)}" type="image/svg+xml">\n`
  return (
    `<!doctype html>\n<html lang="${lang}">\n<head>\n<meta charset="utf-8">\n` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">\n` +
    `<title>${escapeHtml(title)}</title>\n${iconLink}` +
    `<style>${css}</style>\n</head>\n<body>\n${body}\n</body>\n</html>\n`
  )
}
