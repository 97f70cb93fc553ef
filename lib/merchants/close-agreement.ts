import { Prisma } from '@/lib/generated/prisma/client'
import { ResultCode } from '@/lib/errors'
import type { MerchantActor } from '@/lib/merchants/merchant-actor'
import { assertOwnsProduct } from '@/lib/merchants/merchant-products'
import { assertChanged, type StatementOutcome } from '@/lib/services/deduction-target'
import { runIdempotent, type Executor } from '@/lib/services/idempotency'
import { agreementCloseSchema, type AgreementClose } from '@/lib/validation/merchant'
import { parseInput } from '@/lib/validation/parse'

/**
 * The merchant ends a user's agreement on one of its products: the relation is
 * deleted and the history row says the merchant did it, and why, in one statement
 * (as the user's own close, lib/services/close-deduction.ts). Checks: fields (10),
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
 * The statement that ends an agreement for someone other than the user: the
 * relation is deleted and the history row names who (a merchant, or an
 * administrator) and why. The arrangement (15), the product (14), then open (17).
 */
export async function endAgreement(
  db: Executor,
  tenantId: string,
  target: AgreementClose,
  by: { type: 'MERCHANT' | 'ADMIN'; id: string | null },
): Promise<void> {
  const statement = Prisma.sql`
    WITH ar AS (
      SELECT ar_number FROM de_ar WHERE tnt_inst_id = ${tenantId} AND ar_type = ${target.arrangementType}
    ), pd AS (
      SELECT pd_code FROM de_prod WHERE tnt_inst_id = ${tenantId} AND pd_code = ${target.productCode}
    ), rel AS (
      DELETE FROM de_user_ar_rel r USING ar
      WHERE r.tnt_inst_id = ${tenantId} AND r.user_id = ${target.userId}
        AND r.pd_code = ${target.productCode} AND r.ar_no = ar.ar_number
        AND EXISTS (SELECT 1 FROM pd)
      RETURNING r.pd_code, r.ar_no
    ), ev AS (
      INSERT INTO de_user_ar_event (tnt_inst_id, user_id, pd_code, ar_no, action, outcome_code, actor_type, actor_id, reason, gmt_create)
      SELECT ${tenantId}, ${target.userId}, pd_code, ar_no, 'CLOSE', '00', ${by.type}, ${by.id}, ${target.reason}, now() FROM rel
      RETURNING event_id
    )
    SELECT EXISTS (SELECT 1 FROM ar) AS "arrangementFound",
           EXISTS (SELECT 1 FROM pd) AS "productFound",
           EXISTS (SELECT 1 FROM ev) AS "changed"`
  const [outcome] = await db<StatementOutcome>(statement.text, statement.values)
  assertChanged(outcome, ResultCode.NOT_OPEN)
}
