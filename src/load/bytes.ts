// Comparing bytes in place, for the framer and the checks: no strings made.

/** ASCII bytes of a word; a lowercase one compares case-insensitively with equalsLower. */
export const ascii = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0))

/** data[start, end) equals `word` (lowercase ASCII) in any letter case: `byte | 0x20` folds letters ('-' is unchanged). */
export function equalsLower(data: Uint8Array, start: number, end: number, word: Uint8Array): boolean {
  if (end - start !== word.length) return false
  for (let i = 0; i < word.length; i++) if ((data[start + i] | 0x20) !== word[i]) return false
  return true
}

export function equalsExact(data: Uint8Array, start: number, end: number, bytes: Uint8Array): boolean {
  if (end - start !== bytes.length) return false
  for (let i = 0; i < bytes.length; i++) if (data[start + i] !== bytes[i]) return false
  return true
}
