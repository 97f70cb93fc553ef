import { signedAgreement } from '@/lib/db/statements/sign-request-reads'
import { runStatement } from '@/lib/db'
import type { MerchantActor } from '@/lib/merchants/merchant-actor'
import type { MerchantAgreement } from '@/lib/merchants/query-agreement'
import { merchantSignRequest } from '@/lib/signing/merchant-sign-request'
import type { SignRequestRecord } from '@/lib/signing/sign-request-record'
import { SignStatus } from '@/lib/signing/sign-status'

export type SignRequestState = SignRequestRecord & { agreement: MerchantAgreement | null }

/**
 * The state of one of the merchant's sign requests (10, 18, 04 as
 * merchantSignRequest), and once SIGNED the agreement it opened: its product, its
 * arrangement and terms, and whether it is still open (the user may have closed
 * it since). The merchant confirms a return with this call or the event, never
 * with the return alone.
 */
export async function querySignRequest(actor: MerchantActor, input: unknown): Promise<SignRequestState> {
  const record = await merchantSignRequest(actor, input)
  if (record.status !== SignStatus.SIGNED || !record.userId) return { ...record, agreement: null }
  const [agreement] = await signedAgreement.run(runStatement, {
    tenantId: actor.tenantId,
    userId: record.userId,
    productCode: record.productCode,
    arrangementNo: record.arrangementNo,
    agreementId: record.agreementId,
  })
  return { ...record, agreement: agreement ?? null }
}
