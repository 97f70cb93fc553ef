import { Prisma } from '@/lib/generated/prisma/client'
import { ResultCode } from '@/lib/errors'
import type { Actor } from '@/lib/auth/actor'
import { arrangementTerms, valuesJson } from '@/lib/services/arrangement-properties'
import { lookupTerms } from '@/lib/services/arrangement-terms-lookup'
import { assertChanged, targetFor, type DeductionTargetInput, type StatementOutcome } from '@/lib/services/deduction-target'
import { runIdempotent, type Executor } from '@/lib/services/idempotency'
import { newRelId } from '@/lib/services/rel-id'
import { ArrangementStatus } from '@/lib/statuses'
import { parseTermValues, valuesForOpening } from '@/lib/validation/term-values'

/**
 * Opens a deduction service for the acting user with their values of the
 * arrangement's terms (the defaults where none are given). The terms are read
 * first, to check the values against them; then one statement checks the
 * arrangement (still in force) and the product, copies their names and the values
 * into the relation, and appends the event with the values: atomic. The unique key
 * on (tenant, user, product, arrangement) settles concurrent opens: one row, the
 * others answer 16.
 */
export async function openDeduction(
  actor: Actor,
  input: DeductionTargetInput & { propertyValues?: unknown },
  options: { idempotencyKey?: string } = {},
): Promise<void> {
  const target = targetFor(actor, input)
  const given = parseTermValues(input.propertyValues)
  const run = async (db: Executor) => {
    const found = await lookupTerms(db, actor, target, 'open')
    const values = valuesForOpening(arrangementTerms(found.arrangementProperties).terms, given)
    const stored = Object.keys(values).length > 0 ? valuesJson(values) : null
    const [outcome] = await db.$queryRaw<StatementOutcome[]>(Prisma.sql`
      WITH ar AS (
        SELECT ar_number, ar_name FROM de_ar
        WHERE tnt_inst_id = ${actor.tenantId} AND ar_number = ${found.arrangementNumber}
          AND ar_type = ${target.arrangementType} AND ar_status = ${ArrangementStatus.IN_FORCE}
      ), pd AS (
        SELECT pd_code, pd_name FROM de_prod WHERE tnt_inst_id = ${actor.tenantId} AND pd_code = ${target.productCode}
      ), rel AS (
        INSERT INTO de_user_ar_rel (tnt_inst_id, rel_id, user_id, pd_code, pd_name, ar_name, ar_no, property_values, gmt_create, gmt_modified)
        SELECT ${actor.tenantId}, ${newRelId()}, ${actor.userId}, pd.pd_code, pd.pd_name, ar.ar_name, ar.ar_number, ${stored}, now(), now()
        FROM ar, pd
        ON CONFLICT (tnt_inst_id, user_id, pd_code, ar_no) DO NOTHING
        RETURNING pd_code, ar_no, property_values
      ), ev AS (
        INSERT INTO de_user_ar_event (tnt_inst_id, user_id, pd_code, ar_no, action, outcome_code, session_id, device, property_values, gmt_create)
        SELECT ${actor.tenantId}, ${actor.userId}, pd_code, ar_no, 'OPEN', '00', ${actor.sessionId}, ${actor.device}, property_values, now() FROM rel
        RETURNING event_id
      )
      SELECT EXISTS (SELECT 1 FROM ar) AS "arrangementFound",
             EXISTS (SELECT 1 FROM pd) AS "productFound",
             EXISTS (SELECT 1 FROM ev) AS "changed"`)
    assertChanged(outcome, ResultCode.ALREADY_OPEN)
  }
  // a request without values hashes as before values existed, so keys taken then still replay
  const request = Object.keys(given).length > 0 ? { ...target, propertyValues: valuesJson(given) } : target
  await runIdempotent(actor, 'open', request, options.idempotencyKey, run)
}
