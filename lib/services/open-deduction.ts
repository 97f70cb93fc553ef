import { ResultCode } from '@/lib/errors'
import type { Actor } from '@/lib/auth/actor'
import { arrangementTerms, valuesJson, type TermValues } from '@/lib/services/arrangement-properties'
import { lookupTerms } from '@/lib/services/arrangement-terms-lookup'
import { assertChanged, targetWithValues, type StatementOutcome, type TargetWithValuesInput } from '@/lib/services/deduction-target'
import { runIdempotent, type Executor } from '@/lib/services/idempotency'
import { OPEN_DEDUCTION } from '@/lib/services/deduction-statements'
import { newRelId } from '@/lib/services/rel-id'
import { ArrangementStatus } from '@/lib/statuses'
import { valuesForOpening } from '@/lib/validation/term-values'

/**
 * Opens a deduction service for the acting user with their values of the
 * arrangement's terms (the defaults where none are given). The terms are read
 * first, to check the values against them; then one statement checks the
 * arrangement (still in force) and the product, copies their names and the values
 * into the relation, and appends the event with the values: atomic. The unique key
 * on (tenant, user, product, arrangement) settles concurrent opens: one row, the
 * others answer 16.
 */
export async function openDeduction(actor: Actor, input: TargetWithValuesInput, options: { idempotencyKey?: string } = {}): Promise<void> {
  const { target, given } = targetWithValues(actor, input)
  const run = async (db: Executor) => {
    await openWithValues(db, actor, target, given)
  }
  // a request without values hashes as before values existed, so keys taken then still replay
  const request = Object.keys(given).length > 0 ? { ...target, propertyValues: valuesJson(given) } : target
  await runIdempotent(actor, 'open', request, options.idempotencyKey, run)
}

/**
 * The open itself, on `db` (a transaction where the caller has one): the values
 * checked against the arrangement's terms (10 naming the term), the defaults
 * filled in, then the one statement (15, 14, 16). Also how a merchant's sign
 * request, once confirmed, opens the agreement with the terms it proposed
 * (lib/signing/confirm-sign-request.ts). Resolves with the new relation's id and
 * its arrangement.
 */
export async function openWithValues(
  db: Executor,
  actor: Actor,
  target: { arrangementType: string; productCode: string },
  given: TermValues,
): Promise<{ relId: string; arrangementNo: string }> {
  const found = await lookupTerms(db, actor, target, 'open')
  const values = valuesForOpening(arrangementTerms(found.arrangementProperties).terms, given)
  const stored = Object.keys(values).length > 0 ? valuesJson(values) : null
  const relId = newRelId()
  const [outcome] = await db<StatementOutcome>(OPEN_DEDUCTION, [
    actor.tenantId,
    target.arrangementType,
    target.productCode,
    actor.userId,
    relId,
    actor.sessionId,
    actor.device,
    ArrangementStatus.IN_FORCE,
    found.arrangementNumber,
    stored,
  ])
  assertChanged(outcome, ResultCode.ALREADY_OPEN)
  return { relId, arrangementNo: found.arrangementNumber }
}
