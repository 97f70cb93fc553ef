import { ResultCode } from '@/lib/errors'
import type { Actor } from '@/lib/auth/actor'
import { closeAgreement as closeAgreementStatement } from '@/lib/db/statements/close-agreement'
import { assertChanged, targetFor, type AgreementTargetInput } from '@/lib/agreements/agreement-target'
import { runIdempotent, type Executor } from '@/lib/agreements/idempotency'

/**
 * Closes an agreement: deletes its row and appends the event in one
 * statement, the one every close runs (lib/db/statements/close-agreement.ts). Of concurrent closes one deletes the row; the others find nothing
 * and answer 17, so closing is idempotent in effect. An arrangement no longer in
 * force can still be closed.
 */
export async function closeAgreement(
  actor: Actor,
  input: AgreementTargetInput,
  options: { idempotencyKey?: string } = {},
): Promise<void> {
  const target = targetFor(actor, input)
  const run = async (db: Executor) => {
    const [outcome] = await closeAgreementStatement.run(db, {
      tenantId: actor.tenantId,
      arrangementType: target.arrangementType,
      productCode: target.productCode,
      userId: actor.userId,
      actorType: 'USER',
      actorId: null,
      sessionId: actor.sessionId,
      device: actor.device,
      reason: null,
    })
    assertChanged(outcome, ResultCode.NOT_OPEN)
  }
  await runIdempotent(actor, 'close', target, options.idempotencyKey, run)
}
