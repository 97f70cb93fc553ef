import { changeAgreement as changeAgreementStatement } from '@/lib/db/statements/change-agreement'
import { DomainError, ResultCode } from '@/lib/errors'
import type { Actor } from '@/lib/auth/actor'
import { arrangementTerms, valuesJson } from '@/lib/agreements/arrangement-terms'
import { lookupTerms } from '@/lib/agreements/arrangement-terms-lookup'
import { targetWithValues, type TargetWithValuesInput } from '@/lib/agreements/agreement-target'
import { runIdempotent, type Executor } from '@/lib/agreements/idempotency'
import { valuesForChange } from '@/lib/validation/term-values'

/**
 * Changes the acting user's values of an open agreement's changeable terms and
 * appends a CHANGE event carrying the values in effect afterwards. The checks run
 * in the order of open and close: fields (10), self (04), the Idempotency-Key, the
 * arrangement (15), the product (14), the agreement open (17), then the values
 * against the agreement's arrangement (10). The update merges the new values into
 * the stored ones in one statement with the event, so concurrent changes of
 * different terms both keep theirs, and an agreement closed meanwhile answers 17.
 */
export async function changeAgreement(actor: Actor, input: TargetWithValuesInput, options: { idempotencyKey?: string } = {}): Promise<void> {
  const { target, given } = targetWithValues(actor, input)
  const run = async (db: Executor) => {
    const found = await lookupTerms(db, actor, target, 'change')
    if (!found.open) throw new DomainError(ResultCode.NOT_OPEN)
    const changes = valuesForChange(arrangementTerms(found.arrangementProperties).terms, given)
    const [outcome] = await changeAgreementStatement.run(db, {
      tenantId: actor.tenantId,
      userId: actor.userId,
      productCode: target.productCode,
      arrangementNo: found.arrangementNumber,
      changes: valuesJson(changes),
      sessionId: actor.sessionId,
      device: actor.device,
    })
    if (!outcome.changed) throw new DomainError(ResultCode.NOT_OPEN)
  }
  await runIdempotent(actor, 'change', { ...target, propertyValues: valuesJson(given) }, options.idempotencyKey, run)
}
