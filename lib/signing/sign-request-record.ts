import { Prisma } from '@/lib/generated/prisma/client'
import type { Executor } from '@/lib/services/idempotency'
import type { SignStatus } from '@/lib/signing/sign-status'

/** One sign request as the calls and the page read it. */
export type SignRequestRecord = {
  id: string
  merchantId: string
  merchantReference: string
  productCode: string
  arrangementNo: string
  propertyValues: string | null
  returnUrl: string
  expiresInSeconds: number
  status: SignStatus
  createdAt: Date
  expireAt: Date
  finishedAt: Date | null
  userId: string | null
  relId: string | null
}

export const RECORD_COLUMNS = Prisma.sql`
  sign_request_id AS "id", merchant_id AS "merchantId", merchant_reference AS "merchantReference",
  pd_code AS "productCode", ar_no AS "arrangementNo", property_values AS "propertyValues",
  return_url AS "returnUrl", expires_in_seconds AS "expiresInSeconds", status,
  gmt_create AS "createdAt", expire_at AS "expireAt", finished_at AS "finishedAt",
  user_id AS "userId", rel_id AS "relId"`

/** Which request: by its id (the merchant's calls) or by its link's token hash (the sign page). */
export type SignRequestKey = { id: string } | { tokenHash: string }

const where = (tenantId: string, key: SignRequestKey) =>
  'id' in key
    ? Prisma.sql`tnt_inst_id = ${tenantId} AND sign_request_id = ${key.id}`
    : Prisma.sql`tnt_inst_id = ${tenantId} AND token_hash = ${key.tokenHash}`

/**
 * The request, after ending it as EXPIRED if it is PENDING and past its expiry:
 * whoever looks first (the merchant's query, the page, the sweep) records the
 * expiry and its event, so nobody is ever shown PENDING for a request that can no
 * longer be signed. `forUpdate` also locks the row, for a transaction that acts on it.
 */
export async function readSignRequest(db: Executor, tenantId: string, key: SignRequestKey, options: { forUpdate?: boolean } = {}): Promise<SignRequestRecord | undefined> {
  const expire = Prisma.sql`
    UPDATE de_sign_request SET status = 'EXPIRED', finished_at = now()
    WHERE ${where(tenantId, key)} AND status = 'PENDING' AND expire_at <= now()`
  await db(expire.text, expire.values)
  const read = Prisma.sql`SELECT ${RECORD_COLUMNS} FROM de_sign_request WHERE ${where(tenantId, key)} ${options.forUpdate ? Prisma.sql`FOR UPDATE` : Prisma.empty}`
  const [row] = await db<SignRequestRecord>(read.text, read.values)
  return row
}
