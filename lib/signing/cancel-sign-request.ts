import { cancelSignRequest as cancelStatement } from '@/lib/db/statements/sign-request-changes'
import { runStatement } from '@/lib/db'
import type { MerchantActor } from '@/lib/merchants/merchant-actor'
import { merchantSignRequest } from '@/lib/signing/merchant-sign-request'
import type { SignRequestRecord } from '@/lib/signing/sign-request-record'
import { SignStatus } from '@/lib/signing/sign-status'

/**
 * The merchant withdraws its sign request: PENDING becomes CANCELLED (with the
 * sign_request.cancelled event), in one statement that requires PENDING, so a
 * request signed, declined or expired a moment before stays as it is. Resolves
 * with the request and whether this call cancelled it; the caller answers 19 with
 * the status when it did not.
 */
export async function cancelSignRequest(actor: MerchantActor, input: unknown): Promise<{ cancelled: boolean; record: SignRequestRecord }> {
  const record = await merchantSignRequest(actor, input)
  if (record.status !== SignStatus.PENDING) return { cancelled: false, record }
  const [done] = await cancelStatement.run(runStatement, { tenantId: actor.tenantId, id: record.id, merchantId: actor.merchantId })
  if (done) return { cancelled: true, record: { ...record, status: SignStatus.CANCELLED, finishedAt: done.finishedAt } }
  // signed, declined or expired between the read and the statement: the request as it is now
  return { cancelled: false, record: await merchantSignRequest(actor, { signRequestId: record.id }) }
}
