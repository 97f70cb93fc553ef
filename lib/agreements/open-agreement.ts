import { DomainError, ResultCode } from '@/lib/errors'
import type { Actor } from '@/lib/auth/actor'
import { arrangementTerms, valuesJson, type TermValues } from '@/lib/agreements/arrangement-terms'
import { lookupTerms } from '@/lib/agreements/arrangement-terms-lookup'
import { assertChanged, targetWithValues, type TargetWithValuesInput } from '@/lib/agreements/agreement-target'
import { runIdempotent, type Executor } from '@/lib/agreements/idempotency'
import { openAgreement as openAgreementStatement } from '@/lib/db/statements/open-agreement'
import { cachedNewestTerms, forgetNewestTerms, rememberNewestTerms, type NewestTerms } from '@/lib/agreements/newest-terms'
import { newAgreementId } from '@/lib/agreements/agreement-id'
import { ArrangementStatus } from '@/lib/statuses'
import { valuesForOpening } from '@/lib/validation/term-values'

/**
 * Opens an agreement for the acting user with their values of the
 * arrangement's terms (the defaults where none are given). The values are checked
 * against the terms (openWithValues); then one statement checks the
 * arrangement (still in force) and the product, copies their names and the values
 * into the agreement, and appends the event with the values: atomic. The unique key
 * on (tenant, user, product, arrangement) settles concurrent opens: one row, the
 * others answer 16.
 */
export async function openAgreement(actor: Actor, input: TargetWithValuesInput, options: { idempotencyKey?: string } = {}): Promise<void> {
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
 * (lib/signing/confirm-sign-request.ts). Resolves with the new agreement's id and
 * its arrangement.
 *
 * With the type's terms already known to this process (lib/agreements/newest-terms.ts)
 * the open is one round trip: the statement itself confirms they are still the
 * newest in force. Otherwise, or when they are stale, or when the values do not
 * fit them (so that 15 and 14 still come before 10), the terms are read first.
 */
export async function openWithValues(
  db: Executor,
  actor: Actor,
  target: { arrangementType: string; productCode: string },
  given: TermValues,
): Promise<{ agreementId: string; arrangementNo: string }> {
  const cached = cachedNewestTerms(actor.tenantId, target.arrangementType)
  if (cached) {
    const values = valuesFitting(cached.properties, given)
    if (values) {
      const opened = await openUnder(db, actor, target, cached, values)
      if (opened) return opened
      forgetNewestTerms(actor.tenantId, target.arrangementType)
    }
  }
  for (let attempt = 1; ; attempt++) {
    const found = await lookupTerms(db, actor, target, 'open')
    const terms = { arrangementNumber: found.arrangementNumber, properties: found.arrangementProperties }
    rememberNewestTerms(actor.tenantId, target.arrangementType, terms)
    const values = valuesForOpening(arrangementTerms(found.arrangementProperties).terms, given)
    const opened = await openUnder(db, actor, target, terms, values)
    // stale only when another arrangement came into force between the two statements
    if (opened) return opened
    if (attempt >= MAX_OPEN_ATTEMPTS) throw new Error('the arrangement in force kept changing while opening')
  }
}

const MAX_OPEN_ATTEMPTS = 5

/** The values for opening under `properties`' terms, or undefined when they do not fit them. */
function valuesFitting(properties: string | null, given: TermValues): TermValues | undefined {
  try {
    return valuesForOpening(arrangementTerms(properties).terms, given)
  } catch (error) {
    if (error instanceof DomainError) return undefined
    throw error
  }
}

/** The one statement; undefined when `terms` are no longer the newest in force. */
async function openUnder(
  db: Executor,
  actor: Actor,
  target: { arrangementType: string; productCode: string },
  terms: NewestTerms,
  values: TermValues,
): Promise<{ agreementId: string; arrangementNo: string } | undefined> {
  const agreementId = newAgreementId()
  const [outcome] = await openAgreementStatement.run(db, {
    tenantId: actor.tenantId,
    arrangementType: target.arrangementType,
    productCode: target.productCode,
    userId: actor.userId,
    agreementId,
    sessionId: actor.sessionId,
    device: actor.device,
    inForce: ArrangementStatus.IN_FORCE,
    arrangementNo: terms.arrangementNumber,
    checkedProperties: terms.properties,
    propertyValues: Object.keys(values).length > 0 ? valuesJson(values) : null,
  })
  if (outcome.stale) return undefined
  assertChanged(outcome, ResultCode.ALREADY_OPEN)
  return { agreementId, arrangementNo: terms.arrangementNumber }
}
