import type { SignRequestRecord } from '@/lib/signing/sign-request-record'
import { returnAddress } from '@/lib/signing/sign-link'

/**
 * What a confirm or decline from the sign page ended in: `changed` when this
 * call moved the request from PENDING, else the status it already had (signed
 * from another tab, expired, cancelled …); and where the browser goes next.
 */
export type SignerOutcome = { changed: boolean; status: SignRequestRecord['status']; signedByOther: boolean; returnTo: string }

export const outcomeOf = (record: SignRequestRecord, changed: boolean, userId: string): SignerOutcome => ({
  changed,
  status: record.status,
  signedByOther: record.userId !== null && record.userId !== userId,
  returnTo: returnAddress(record.returnUrl, record.id, record.status),
})
