import { openCursor, sealCursor, type CursorScope } from '@/lib/pagination/sealed-cursor'

// The list's page token: the rel_id of the last row a page showed, sealed to the
// tenant, user and arrangement type it was listed for (lib/pagination/sealed-cursor.ts).

export type PageOwner = { tenantId: string; userId: string; arrangementType: string }

const scopeOf = (owner: PageOwner): CursorScope => ({ call: 'deduction-list', owner: [owner.tenantId, owner.userId, owner.arrangementType] })
const AGREEMENT_ID = /^[0-9a-f]{32}$/

export const encodePageToken = (owner: PageOwner, agreementId: string) => sealCursor(scopeOf(owner), agreementId)

/** The rel_id a page token stands for, or undefined when this service did not hand it to this owner. */
export function decodePageToken(owner: PageOwner, token: string): string | undefined {
  const agreementId = openCursor(scopeOf(owner), token)
  return agreementId !== undefined && AGREEMENT_ID.test(agreementId) ? agreementId : undefined
}
