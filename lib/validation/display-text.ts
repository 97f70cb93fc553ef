// The one rule for text a person typed and another will read (names, labels, terms'
// values, every single-line field): its length is counted in characters (code points),
// as PostgreSQL counts varchar(n), and it holds no control character. NUL cannot be
// stored by PostgreSQL; the other control characters (C0, DEL and C1) and the Unicode
// line and paragraph separators have no place in a single line. No validation library
// here: the zod fields (lib/validation/fields.ts) and the terms' checks build on it.

const CONTROL = /[\p{Cc}\u2028\u2029]/u

/** The length of `s` as PostgreSQL counts it: code points, not UTF-16 units. */
export const charCount = (s: string) => [...s].length

/** Whether `s` holds a character that single-line text may not. */
export const hasControlCharacter = (s: string) => CONTROL.test(s)

/** Why `s` (already trimmed) is not display text of at most `max` characters, or undefined when it is. */
export function displayTextProblem(s: string, max: number): string | undefined {
  if (charCount(s) > max) return `must be at most ${max} characters`
  if (hasControlCharacter(s)) return 'must not contain control characters'
  return undefined
}
