import { z } from 'zod'

// Lengths are counted in characters (code points), as PostgreSQL counts varchar(n).
const chars = (s: string) => [...s].length
// NUL cannot be stored by PostgreSQL; other control characters (C0, DEL and C1)
// and the Unicode line and paragraph separators have no place in single-line fields.
const CONTROL = /[\p{Cc}\u2028\u2029]/u

/** A required single-line text field of at most `max` characters. */
export const text = (max: number) =>
  z
    .string({ error: (issue) => (issue.input === undefined || issue.input === null ? 'is required' : 'must be a string') })
    .trim()
    .min(1, 'is required')
    .refine((s) => chars(s) <= max, `must be at most ${max} characters`)
    .refine((s) => !CONTROL.test(s), 'must not contain control characters')

export const loginKey = text(255)
  .transform((s) => s.toLowerCase())
  .pipe(z.email('must be an e-mail address'))

// One password rule for every door (login, the admin command line): not trimmed,
// since spaces are characters like any other; at most 256 characters, which keeps a
// hostile client from making the server hash megabytes; no NUL. A password set
// anywhere is therefore one that login accepts.
const PASSWORD_MAX_LENGTH = 256
export const MIN_NEW_PASSWORD_LENGTH = 8

export const password = z
  .string({ error: (issue) => (issue.input === undefined || issue.input === null ? 'is required' : 'must be a string') })
  .min(1, 'is required')
  .refine((s) => chars(s) <= PASSWORD_MAX_LENGTH, `must be at most ${PASSWORD_MAX_LENGTH} characters`)
  .refine((s) => !s.includes('\u0000'), 'must not contain NUL')

/** A password being set: the same rule, and long enough to be worth having. */
export const newPassword = password.refine(
  (s) => chars(s) >= MIN_NEW_PASSWORD_LENGTH,
  `must be at least ${MIN_NEW_PASSWORD_LENGTH} characters`,
)

export const userId = text(32)
export const productCode = text(32)
export const arrangementType = text(32)
