// Request paths are attacker-controlled: never let them drive the terminal.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001F\u007F-\u009F]/
const CONTROL_ALL = new RegExp(CONTROL.source, 'g')

/** The text with every control character written as \xNN. */
export function escapeControl(text: string): string {
  return CONTROL.test(text)
    ? text.replaceAll(CONTROL_ALL, (ch) => `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`)
    : text
}
