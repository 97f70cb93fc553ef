import { runStatement } from '@/lib/db'
import { DomainError, ResultCode } from '@/lib/errors'
import type { MerchantActor } from '@/lib/merchants/merchant-actor'
import type { Executor } from '@/lib/agreements/idempotency'
import { readSignRequest, type SignRequestRecord } from '@/lib/signing/sign-request-record'
import { signRequestRefSchema } from '@/lib/validation/sign-request'
import { parseInput } from '@/lib/validation/parse'

/**
 * The merchant's own sign request by its id: the field (10), a request in this
 * tenant (18), the merchant's (04). An unknown id and another merchant's differ
 * here, unlike products: the id is random and says nothing, and a merchant that
 * holds another's id has been given it.
 */
export async function merchantSignRequest(actor: MerchantActor, input: unknown, db: Executor = runStatement): Promise<SignRequestRecord> {
  const { signRequestId } = parseInput(signRequestRefSchema, input)
  const record = await readSignRequest(db, actor.tenantId, { id: signRequestId })
  if (!record) throw new DomainError(ResultCode.SIGN_REQUEST_NOT_FOUND)
  if (record.merchantId !== actor.merchantId) throw new DomainError(ResultCode.FORBIDDEN)
  return record
}
