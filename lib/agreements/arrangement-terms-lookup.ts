import { termsForChange, termsForOpening } from '@/lib/db/statements/terms-lookup'
import { DomainError, ResultCode } from '@/lib/errors'
import type { Actor } from '@/lib/auth/actor'
import type { Executor } from '@/lib/agreements/idempotency'
import { ArrangementStatus } from '@/lib/statuses'

/** What opening and changing read before they write: the arrangement's terms and the agreement's values (when open). */
export type TermsLookup = {
  arrangementNumber: string
  arrangementProperties: string | null
  agreementValues: string | null
  open: boolean
}

/**
 * One round trip reads what the checks after the Idempotency-Key need, in their
 * order: the arrangement (15) — for opening the newest in force, for a change the
 * one the open agreement was made under (any status, as for closing) — then the
 * product (14). Whether the agreement is open is for the caller to judge (16, 17).
 */
export async function lookupTerms(
  db: Executor,
  actor: Pick<Actor, 'tenantId' | 'userId'>,
  target: { arrangementType: string; productCode: string },
  purpose: 'open' | 'change',
): Promise<TermsLookup> {
  const params = { tenantId: actor.tenantId, arrangementType: target.arrangementType, userId: actor.userId, productCode: target.productCode }
  const [row] = purpose === 'open' ? await termsForOpening.run(db, { ...params, inForce: ArrangementStatus.IN_FORCE }) : await termsForChange.run(db, params)
  if (!row.arrangementNumber) throw new DomainError(ResultCode.ARRANGEMENT_NOT_FOUND)
  if (!row.productFound) throw new DomainError(ResultCode.PRODUCT_NOT_FOUND)
  return { arrangementNumber: row.arrangementNumber, arrangementProperties: row.arrangementProperties, agreementValues: row.agreementValues, open: row.open }
}
