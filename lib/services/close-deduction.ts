import { ResultCode } from '@/lib/errors'
import type { Actor } from '@/lib/auth/actor'
import { assertChanged, targetFor, type DeductionTargetInput, type StatementOutcome } from '@/lib/services/deduction-target'
import { CLOSE_DEDUCTION } from '@/lib/services/deduction-statements'
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
    const [outcome] = await db<StatementOutcome>(CLOSE_DEDUCTION, [
      actor.tenantId,
      target.arrangementType,
      target.productCode,
      actor.userId,
      actor.sessionId,
      actor.device,
    ])
    assertChanged(outcome, ResultCode.NOT_OPEN)
  }
  await runIdempotent(actor, 'close', target, options.idempotencyKey, run)
}
