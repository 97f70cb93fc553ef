import { Prisma } from '@/lib/generated/prisma/client'
import { ResultCode } from '@/lib/errors'
import type { Actor } from '@/lib/auth/actor'
import { assertChanged, targetFor, type DeductionTargetInput, type StatementOutcome } from '@/lib/services/deduction-target'
import { runIdempotent, type Executor } from '@/lib/services/idempotency'

/**
 * Closes a deduction service: deletes the relation and appends the event in one
 * statement. Of concurrent closes one deletes the row; the others find nothing
 * and answer 17, so closing is idempotent in effect. An arrangement no longer in
 * force can still be closed.
 */
export async function closeDeduction(
  actor: Actor,
  input: DeductionTargetInput,
  options: { idempotencyKey?: string } = {},
): Promise<void> {
  const target = targetFor(actor, input)
  const run = async (db: Executor) => {
    const [outcome] = await db.$queryRaw<StatementOutcome[]>(Prisma.sql`
      WITH ar AS (
        SELECT ar_number FROM de_ar WHERE tnt_inst_id = ${actor.tenantId} AND ar_type = ${target.arrangementType}
      ), pd AS (
        SELECT pd_code FROM de_prod WHERE tnt_inst_id = ${actor.tenantId} AND pd_code = ${target.productCode}
      ), rel AS (
        DELETE FROM de_user_ar_rel r USING ar
        WHERE r.tnt_inst_id = ${actor.tenantId} AND r.user_id = ${actor.userId}
          AND r.pd_code = ${target.productCode} AND r.ar_no = ar.ar_number
          AND EXISTS (SELECT 1 FROM pd)
        RETURNING r.pd_code, r.ar_no
      ), ev AS (
        INSERT INTO de_user_ar_event (tnt_inst_id, user_id, pd_code, ar_no, action, outcome_code, session_id, device, gmt_create)
        SELECT ${actor.tenantId}, ${actor.userId}, pd_code, ar_no, 'CLOSE', '00', ${actor.sessionId}, ${actor.device}, now() FROM rel
        RETURNING event_id
      )
      SELECT EXISTS (SELECT 1 FROM ar) AS "arrangementFound",
             EXISTS (SELECT 1 FROM pd) AS "productFound",
             EXISTS (SELECT 1 FROM ev) AS "changed"`)
    assertChanged(outcome, ResultCode.NOT_OPEN)
  }
  await runIdempotent(actor, 'close', target, options.idempotencyKey, run)
}
