import { Prisma } from '@/lib/generated/prisma/client'
import { ResultCode } from '@/lib/errors'
import type { Actor } from '@/lib/auth/actor'
import { assertChanged, targetFor, type DeductionTargetInput, type StatementOutcome } from '@/lib/services/deduction-target'
import { runIdempotent, type Executor } from '@/lib/services/idempotency'
import { newRelId } from '@/lib/services/rel-id'
import { ArrangementStatus } from '@/lib/statuses'

/**
 * Opens a deduction service for the acting user. One statement checks the
 * arrangement (in force) and the product, copies their names into the relation,
 * and appends the event: atomic, and a single round trip. The unique key on
 * (tenant, user, product, arrangement) settles concurrent opens: one row, the
 * others answer 16.
 */
export async function openDeduction(
  actor: Actor,
  input: DeductionTargetInput,
  options: { idempotencyKey?: string } = {},
): Promise<void> {
  const target = targetFor(actor, input)
  const run = async (db: Executor) => {
    const [outcome] = await db.$queryRaw<StatementOutcome[]>(Prisma.sql`
      WITH ar AS (
        SELECT ar_number, ar_name FROM de_ar
        WHERE tnt_inst_id = ${actor.tenantId} AND ar_type = ${target.arrangementType} AND ar_status = ${ArrangementStatus.IN_FORCE}
        ORDER BY ar_version DESC, ar_number DESC LIMIT 1
      ), pd AS (
        SELECT pd_code, pd_name FROM de_prod WHERE tnt_inst_id = ${actor.tenantId} AND pd_code = ${target.productCode}
      ), rel AS (
        INSERT INTO de_user_ar_rel (tnt_inst_id, rel_id, user_id, pd_code, pd_name, ar_name, ar_no, gmt_create, gmt_modified)
        SELECT ${actor.tenantId}, ${newRelId()}, ${actor.userId}, pd.pd_code, pd.pd_name, ar.ar_name, ar.ar_number, now(), now()
        FROM ar, pd
        ON CONFLICT (tnt_inst_id, user_id, pd_code, ar_no) DO NOTHING
        RETURNING pd_code, ar_no
      ), ev AS (
        INSERT INTO de_user_ar_event (tnt_inst_id, user_id, pd_code, ar_no, action, outcome_code, session_id, device, gmt_create)
        SELECT ${actor.tenantId}, ${actor.userId}, pd_code, ar_no, 'OPEN', '00', ${actor.sessionId}, ${actor.device}, now() FROM rel
        RETURNING event_id
      )
      SELECT EXISTS (SELECT 1 FROM ar) AS "arrangementFound",
             EXISTS (SELECT 1 FROM pd) AS "productFound",
             EXISTS (SELECT 1 FROM ev) AS "changed"`)
    assertChanged(outcome, ResultCode.ALREADY_OPEN)
  }
  await runIdempotent(actor, 'open', target, options.idempotencyKey, run)
}
