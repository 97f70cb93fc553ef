// The newest in-force arrangement's number and terms per arrangement type, as last
// read by this process. Opening checks the given values against these and sends
// them with its one statement, which refuses to write (`stale`) unless they are
// still the newest in force with the same terms: a cached copy saves the read
// before the write and can never open under terms other than the current ones.

export type NewestTerms = { arrangementNumber: string; properties: string | null }

const newest = new Map<string, NewestTerms>()
const key = (tenantId: string, arrangementType: string) => `${tenantId}\u0000${arrangementType}`

/** The terms last read for the type, if any. */
export const cachedNewestTerms = (tenantId: string, arrangementType: string) => newest.get(key(tenantId, arrangementType))

/** Remembers the terms just read for a type that exists (only types found in de_ar are kept, so the map stays small). */
export function rememberNewestTerms(tenantId: string, arrangementType: string, terms: NewestTerms): void {
  newest.set(key(tenantId, arrangementType), terms)
}

/** Forgets the type's terms, when the statement found them stale. */
export const forgetNewestTerms = (tenantId: string, arrangementType: string) => newest.delete(key(tenantId, arrangementType))
