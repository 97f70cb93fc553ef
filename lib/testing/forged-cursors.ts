// Ways a client can alter a cursor it was given, for the tests of the list's page
// token and the merchant's change cursor: both must refuse every one with code 10.
import fc from 'fast-check'
import { DomainError, ResultCode } from '@/lib/errors'

/**
 * What a call refused as an invalid argument: `code 10 <field>`; any other outcome
 * is spelled out (`code 15`, `answered`) so that an assertion's message shows it.
 * Anything that is not a DomainError (a database error, a crash) is rethrown.
 */
export async function invalidField(promise: Promise<unknown>): Promise<string> {
  try {
    await promise
    return 'answered'
  } catch (error) {
    if (!(error instanceof DomainError)) throw error
    return error.code === ResultCode.INVALID_ARGUMENT ? `code 10 ${error.detail?.field}` : `code ${error.code}`
  }
}

export const base64url = (text: string) => Buffer.from(text, 'utf8').toString('base64url')

/** The cursor with one character replaced, at every position in turn. */
export const oneCharacterEdits = (cursor: string) =>
  [...cursor].map((c, i) => cursor.slice(0, i) + (c === 'A' ? 'B' : 'A') + cursor.slice(i + 1))

/** The cursor cut short or lengthened. */
export const truncationsOf = (cursor: string) => [cursor.slice(0, -1), cursor.slice(0, cursor.length >> 1), cursor.slice(0, 3), `${cursor}A`, `${cursor}.`]

/**
 * Strings a client might send as a cursor: anything at all, base64 of anything, the
 * old plain `c1.` form with any numbers (out of range ones too), and the given real
 * cursor with a few characters deleted and others inserted somewhere.
 */
export function cursorLike(real: string): fc.Arbitrary<string> {
  return fc.oneof(
    fc.string({ maxLength: 250 }),
    fc.string({ unit: 'binary', maxLength: 120 }),
    fc.base64String({ maxLength: 120 }),
    fc.tuple(fc.bigInt(), fc.bigInt()).map(([tx, event]) => base64url(`c1.${tx}.${event}`)),
    fc.stringMatching(/^[0-9a-f]{32}$/).map(base64url),
    fc.string({ maxLength: 100 }).map((s) => `c2.${s}`),
    fc
      .tuple(fc.nat({ max: real.length }), fc.nat({ max: 3 }), fc.string({ maxLength: 3 }))
      .map(([at, removed, inserted]) => real.slice(0, at) + inserted + real.slice(at + removed)),
  )
}
