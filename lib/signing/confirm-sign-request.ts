import { markSignRequestSigned } from '@/lib/db/statements/sign-request-changes'
import { runInTransaction } from '@/lib/db'
import { DomainError, ResultCode } from '@/lib/errors'
import type { Actor } from '@/lib/auth/actor'
import { storedValues } from '@/lib/agreements/arrangement-terms'
import { DEDUCTION } from '@/lib/agreements/arrangement-types'
import { openWithValues } from '@/lib/agreements/open-agreement'
import { hashSignToken, isSignToken } from '@/lib/signing/sign-link'
import { readSignRequest } from '@/lib/signing/sign-request-record'
import { SignStatus } from '@/lib/signing/sign-status'
import { outcomeOf, type SignerOutcome } from '@/lib/signing/signer-outcome'

/**
 * The signed-in user confirms the sign request behind a link: in one transaction
 * the request's row is locked, the agreement is opened with the proposed terms
 * exactly as the user's own open would (lib/agreements/open-agreement.ts: terms 10,
 * 15, 14, 16), and the request is marked SIGNED by a statement that requires it
 * PENDING and unexpired. The agreement's history row and both outbox rows
 * (agreement.opened, then sign_request.signed) are written in that transaction.
 * A request no longer PENDING (signed in another tab or by someone else,
 * declined, cancelled, expired) changes nothing and resolves with its status. A
 * user who already holds the product's agreement gets 16 and the request stays
 * PENDING. An unknown link is 18. The transaction is the driver's own
 * (lib/db/client.ts): a confirm is a handful of statements, and Prisma's interactive
 * transaction cost more than they did.
 */
export async function confirmSignRequest(actor: Actor, token: string): Promise<SignerOutcome> {
  if (!isSignToken(token)) throw new DomainError(ResultCode.SIGN_REQUEST_NOT_FOUND)
  return runInTransaction(async (db) => {
    const record = await readSignRequest(db, actor.tenantId, { tokenHash: hashSignToken(token) }, { forUpdate: true })
    if (!record) throw new DomainError(ResultCode.SIGN_REQUEST_NOT_FOUND)
    if (record.status !== SignStatus.PENDING) return outcomeOf(record, false, actor.userId)
    const opened = await openWithValues(db, actor, { arrangementType: DEDUCTION, productCode: record.productCode }, storedValues(record.propertyValues))
    const [signed] = await markSignRequestSigned.run(db, {
      tenantId: actor.tenantId,
      id: record.id,
      userId: actor.userId,
      agreementId: opened.agreementId,
      arrangementNo: opened.arrangementNo,
    })
    // the row is locked and was PENDING and unexpired a statement ago, in this transaction's clock
    if (!signed) throw new Error('a locked, pending sign request could not be signed')
    return outcomeOf({ ...record, status: SignStatus.SIGNED, userId: actor.userId, agreementId: opened.agreementId, finishedAt: signed.finishedAt }, true, actor.userId)
  })
}
