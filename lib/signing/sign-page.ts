import { signPageNames } from '@/lib/db/statements/sign-request-reads'
import { runStatement } from '@/lib/db'
import { config } from '@/lib/config'
import { arrangementTerms, effectiveValues, storedValues, type TermDefinition, type TermValues } from '@/lib/agreements/arrangement-terms'
import { hashSignToken, isSignToken, returnAddress } from '@/lib/signing/sign-link'
import { readSignRequest } from '@/lib/signing/sign-request-record'
import type { SignStatus } from '@/lib/signing/sign-status'

/** What the sign page shows for a link: nothing for an unknown one; else who asks, for what, on which terms, until when, and where it stands. */
export type SignPage =
  | { found: false }
  | {
      found: true
      status: SignStatus
      merchantName: string
      product: { code: string; name: string; orgName: string; description: string }
      arrangement: { name: string; version: string }
      terms: readonly TermDefinition[]
      values: TermValues
      expireAt: Date
      /** who signed or declined it, when someone did */
      userId: string | null
      /** the merchant's returnUrl with the outcome, for the one who signed or declined to go back by */
      returnTo: string
    }

/**
 * The sign request behind a link, for the page that shows it (a request past its
 * expiry is recorded EXPIRED first, lib/signing/sign-request-record.ts). The link
 * is a bearer secret: whoever holds it may see what is proposed, as the merchant
 * would show it to them anyway; acting on it needs the signed-in user.
 */
export async function loadSignPage(token: string): Promise<SignPage> {
  if (!isSignToken(token)) return { found: false }
  const tenantId = config().FC_TENANT_ID
  const record = await readSignRequest(runStatement, tenantId, { tokenHash: hashSignToken(token) })
  if (!record) return { found: false }
  const [names] = await signPageNames.run(runStatement, {
    tenantId,
    merchantId: record.merchantId,
    productCode: record.productCode,
    arrangementNo: record.arrangementNo,
  })
  const terms = arrangementTerms(names?.properties ?? null).terms
  return {
    found: true,
    status: record.status,
    merchantName: names?.merchantName ?? names?.orgName ?? '',
    product: { code: record.productCode, name: names?.productName ?? record.productCode, orgName: names?.orgName ?? '', description: names?.description ?? '' },
    arrangement: { name: names?.arName ?? '', version: names?.arVersion ?? '' },
    terms,
    values: effectiveValues(terms, storedValues(record.propertyValues)),
    expireAt: record.expireAt,
    userId: record.userId,
    returnTo: returnAddress(record.returnUrl, record.id, record.status),
  }
}

/** Only where a link stands, for the page left open on a desktop while the phone signs. */
export async function signStatusOf(token: string): Promise<SignStatus | undefined> {
  if (!isSignToken(token)) return undefined
  return (await readSignRequest(runStatement, config().FC_TENANT_ID, { tokenHash: hashSignToken(token) }))?.status
}
