import { z } from 'zod'
import { charCount as chars, hasControlCharacter } from '@/lib/validation/display-text'

/** A required single-line text field of at most `max` characters (the display-text rule: lib/validation/display-text.ts). */
export const text = (max: number) =>
  z
    .string({ error: (issue) => (issue.input === undefined || issue.input === null ? 'is required' : 'must be a string') })
    .trim()
    .min(1, 'is required')
    .refine((s) => chars(s) <= max, `must be at most ${max} characters`)
    .refine((s) => !hasControlCharacter(s), 'must not contain control characters')

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

/**
 * A page size as proto3 sends it (0 for "not set"): a whole number from 0 to `max`,
 * 0 or absent meaning `fallback`.
 */
export const pageSize = (max: number, fallback: number) =>
  z
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(0, 'must not be negative')
    .max(max, `must be at most ${max}`)
    .optional()
    .transform((n) => (n ? n : fallback))

/** An opaque token this service handed out (a page token, a cursor): an empty one is none. */
export const handedOutToken = (what: string) =>
  z
    .string({ error: 'must be a string' })
    .max(200, `is not a ${what} from this service`)
    .optional()
    .transform((s) => s || undefined)
