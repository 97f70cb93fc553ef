import { closeAgreement as closeAgreementStatement } from '@/lib/db/statements/close-agreement'
import { ResultCode } from '@/lib/errors'
import type { MerchantActor } from '@/lib/merchants/merchant-actor'
import { assertOwnsProduct } from '@/lib/merchants/merchant-products'
import { assertChanged } from '@/lib/agreements/agreement-target'
import { runIdempotent, type Executor } from '@/lib/agreements/idempotency'
import { agreementCloseSchema, type AgreementClose } from '@/lib/validation/merchant'
import { parseInput } from '@/lib/validation/parse'

/**
 * The merchant ends a user's agreement on one of its products: the agreement's row is
 * deleted and the history row says the merchant did it, and why, in one statement
 * (as the user's own close, lib/agreements/close-agreement.ts). Checks: fields (10),
 * the product is the merchant's (04), the Idempotency-Key (10 or a replay),
 * arrangement (15), product (14), open (17). Idempotency keys belong to the
 * merchant: its id (M…) owns them in de_idempotency, apart from every user's (U…).
 */
export async function closeAgreement(actor: MerchantActor, input: unknown, options: { idempotencyKey?: string } = {}): Promise<void> {
  const target = parseInput(agreementCloseSchema, input)
  await assertOwnsProduct(actor, target.productCode)
  const run = (db: Executor) => endAgreement(db, actor.tenantId, target, { type: 'MERCHANT', id: actor.merchantId })
  const owner = { tenantId: actor.tenantId, userId: actor.merchantId, sessionId: '', device: '' }
  await runIdempotent(owner, 'merchant-close', target, options.idempotencyKey, run)
}

/**
 * Ends an agreement for someone other than the user, by the one close statement
 * (lib/db/statements/close-agreement.ts): the history row names who (a merchant,
 * or an administrator) and why. The arrangement (15), the product (14), then open (17).
 */
export async function endAgreement(
  db: Executor,
  tenantId: string,
  target: AgreementClose,
  by: { type: 'MERCHANT' | 'ADMIN'; id: string | null },
): Promise<void> {
  const [outcome] = await closeAgreementStatement.run(db, {
    tenantId,
    arrangementType: target.arrangementType,
    productCode: target.productCode,
    userId: target.userId,
    actorType: by.type,
    actorId: by.id,
    sessionId: null,
    device: null,
    reason: target.reason,
  })
  assertChanged(outcome, ResultCode.NOT_OPEN)
}
