import { ResultCode } from '@/lib/errors'
import type { Actor } from '@/lib/auth/actor'
import { assertChanged, targetFor, type DeductionTargetInput, type StatementOutcome } from '@/lib/services/deduction-target'
import { runIdempotent, type Executor } from '@/lib/services/idempotency'
import { OPEN_DEDUCTION } from '@/lib/services/deduction-statements'
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
    const [outcome] = await db<StatementOutcome>(OPEN_DEDUCTION, [
      actor.tenantId,
      target.arrangementType,
      target.productCode,
      actor.userId,
      newRelId(),
      actor.sessionId,
      actor.device,
      ArrangementStatus.IN_FORCE,
    ])
    assertChanged(outcome, ResultCode.ALREADY_OPEN)
  }
  await runIdempotent(actor, 'open', target, options.idempotencyKey, run)
}
