import { declineSignRequest as declineStatement } from '@/lib/db/statements/sign-request-changes'
import { runStatement } from '@/lib/db'
import { DomainError, ResultCode } from '@/lib/errors'
import type { Actor } from '@/lib/auth/actor'
import { hashSignToken, isSignToken } from '@/lib/signing/sign-link'
import { readSignRequest } from '@/lib/signing/sign-request-record'
import { SignStatus } from '@/lib/signing/sign-status'
import { outcomeOf, type SignerOutcome } from '@/lib/signing/signer-outcome'

/**
 * The signed-in user declines the sign request behind a link: one statement that
 * requires it PENDING and unexpired marks it DECLINED by this user (and writes the
 * sign_request.declined outbox row). A request that is no longer PENDING changes
 * nothing and resolves with its status. An unknown link is 18.
 */
export async function declineSignRequest(actor: Actor, token: string): Promise<SignerOutcome> {
  if (!isSignToken(token)) throw new DomainError(ResultCode.SIGN_REQUEST_NOT_FOUND)
  const key = { tokenHash: hashSignToken(token) }
  const [declined] = await declineStatement.run(runStatement, { tenantId: actor.tenantId, tokenHash: key.tokenHash, userId: actor.userId })
  const record = await readSignRequest(runStatement, actor.tenantId, key)
  if (!record) throw new DomainError(ResultCode.SIGN_REQUEST_NOT_FOUND)
  return outcomeOf(record, declined !== undefined && record.status === SignStatus.DECLINED, actor.userId)
}
