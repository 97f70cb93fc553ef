import { insertSignRequest } from '@/lib/db/statements/sign-request-changes'
import { signRequestByReference } from '@/lib/db/statements/sign-request-record'
import { returnOrigins } from '@/lib/db/statements/sign-request-reads'
import { runStatement } from '@/lib/db'
import { DomainError, invalidArgument, ResultCode } from '@/lib/errors'
import type { MerchantActor } from '@/lib/merchants/merchant-actor'
import { productMerchant } from '@/lib/db/statements/product-merchant'
import { arrangementTerms, valuesJson } from '@/lib/agreements/arrangement-terms'
import { lookupTerms } from '@/lib/agreements/arrangement-terms-lookup'
import { DEDUCTION } from '@/lib/agreements/arrangement-types'
import { runIdempotent, type Executor } from '@/lib/agreements/idempotency'
import { hashSignToken, newSignRequestId, signToken, signUrl } from '@/lib/signing/sign-link'
import { readSignRequest, type SignRequestRecord } from '@/lib/signing/sign-request-record'
import { allowsLoopbackReturnOrigins } from '@/lib/signing/loopback-return-origins'
import { returnUrlProblem } from '@/lib/signing/return-origin'
import { parseTermValues, valuesForOpening } from '@/lib/validation/term-values'
import { signRequestCreateSchema, type SignRequestCreate } from '@/lib/validation/sign-request'
import { parseInput } from '@/lib/validation/parse'

export type CreatedSignRequest = { signRequestId: string; signUrl: string; expireTime: Date; signStatus: string; merchantReference: string }

/** What makes two requests with one merchantReference "the same": compared field by field, so a difference names its field. */
export type Content = Pick<SignRequestCreate, 'productCode' | 'returnUrl' | 'expiresInSeconds'> & { propertyValues: string | null }

/**
 * A merchant asks a user to sign an agreement on one of its products with the
 * terms it proposes (docs/merchants.md#merchant-initiated-signing), and gets the
 * link to send the user to. Checks, in order: fields (10), the product is one this
 * merchant offers (14), the Idempotency-Key (10 or a replay), the returnUrl is at
 * one of the merchant's registered return origins (10), then as opening does: the
 * arrangement in force (15) and the terms (10 naming the term). The same
 * merchantReference again answers the request made first, if every field is the
 * same; a field that differs is 10 naming it. Callable from server code with any
 * merchant actor, not only through the API.
 */
export async function createSignRequest(actor: MerchantActor, input: Record<string, unknown>, options: { idempotencyKey?: string } = {}): Promise<CreatedSignRequest> {
  const fields = parseInput(signRequestCreateSchema, input)
  const given = parseTermValues(input.propertyValues)
  const content: Content = {
    productCode: fields.productCode,
    propertyValues: Object.keys(given).length > 0 ? valuesJson(given) : null,
    returnUrl: fields.returnUrl,
    expiresInSeconds: fields.expiresInSeconds,
  }
  const [owner] = await productMerchant.run(runStatement, { tenantId: actor.tenantId, productCode: fields.productCode })
  if (owner?.merchantId !== actor.merchantId) throw new DomainError(ResultCode.PRODUCT_NOT_FOUND)

  const keyOwner = { tenantId: actor.tenantId, userId: actor.merchantId, sessionId: '', device: '' }
  await runIdempotent(keyOwner, 'sign-request-create', { ...content, merchantReference: fields.merchantReference }, options.idempotencyKey, (db) =>
    makeOrMatch(db, actor, fields.merchantReference, content, given),
  )
  // made now or before (a replay by key or by reference): the request the reference names
  const record = await byReference(runStatement, actor, fields.merchantReference)
  if (!record) throw new Error('a sign request just made is not there')
  return answerFor(actor, record)
}

/** Exported for the bench's floor (bench/floor-signing.ts), which runs these same statements. */
export async function makeOrMatch(db: Executor, actor: MerchantActor, merchantReference: string, content: Content, given: Record<string, string>): Promise<void> {
  const existing = await byReference(db, actor, merchantReference)
  if (existing) return assertSameContent(existing, content)
  const registered = await returnOrigins.run(db, { tenantId: actor.tenantId, merchantId: actor.merchantId })
  const problem = returnUrlProblem(content.returnUrl, registered.map((o) => o.origin), await allowsLoopbackReturnOrigins(db))
  if (problem) throw invalidArgument('returnUrl', problem)
  // the terms are checked exactly as opening checks them, against the arrangement in force now
  const found = await lookupTerms(db, { tenantId: actor.tenantId, userId: '' }, { arrangementType: DEDUCTION, productCode: content.productCode }, 'open')
  valuesForOpening(arrangementTerms(found.arrangementProperties).terms, given)
  const id = newSignRequestId()
  const [made] = await insertSignRequest.run(db, {
    tenantId: actor.tenantId,
    id,
    merchantId: actor.merchantId,
    merchantReference,
    productCode: content.productCode,
    arrangementNo: found.arrangementNumber,
    propertyValues: content.propertyValues,
    returnUrl: content.returnUrl,
    expiresInSeconds: content.expiresInSeconds,
    tokenHash: hashSignToken(signToken(actor.tenantId, id)),
  })
  if (made) return
  // the same reference made at the same moment by another call: that one stands, and this one is compared with it
  const raced = await byReference(db, actor, merchantReference)
  if (!raced) throw new Error('a sign request with this reference is neither new nor there')
  assertSameContent(raced, content)
}

export async function byReference(db: Executor, actor: MerchantActor, merchantReference: string): Promise<SignRequestRecord | undefined> {
  const [found] = await signRequestByReference.run(db, { tenantId: actor.tenantId, merchantId: actor.merchantId, merchantReference })
  return found ? readSignRequest(db, actor.tenantId, { id: found.id }) : undefined
}

function assertSameContent(existing: SignRequestRecord, content: Content): void {
  const stored: Content = {
    productCode: existing.productCode,
    propertyValues: existing.propertyValues,
    returnUrl: existing.returnUrl,
    expiresInSeconds: existing.expiresInSeconds,
  }
  for (const field of ['productCode', 'propertyValues', 'returnUrl', 'expiresInSeconds'] as const) {
    if (stored[field] !== content[field]) throw invalidArgument(field, 'differs from the sign request already made with this merchantReference')
  }
}

const answerFor = (actor: MerchantActor, r: SignRequestRecord): CreatedSignRequest => ({
  signRequestId: r.id,
  signUrl: signUrl(signToken(actor.tenantId, r.id)),
  expireTime: r.expireAt,
  signStatus: r.status,
  merchantReference: r.merchantReference,
})
