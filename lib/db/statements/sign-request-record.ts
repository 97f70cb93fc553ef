import { statement } from '@/lib/db/statement'
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
  agreementId: string | null
}

const RECORD_COLUMNS = `
  sign_request_id AS "id", merchant_id AS "merchantId", merchant_reference AS "merchantReference",
  pd_code AS "productCode", ar_no AS "arrangementNo", property_values AS "propertyValues",
  return_url AS "returnUrl", expires_in_seconds AS "expiresInSeconds", status,
  gmt_create AS "createdAt", expire_at AS "expireAt", finished_at AS "finishedAt",
  user_id AS "userId", rel_id AS "agreementId"`

// a request by its id (the merchant's calls) or by its link's token hash (the sign page)
const BY_ID = 'tnt_inst_id = :tenantId AND sign_request_id = :id'
const BY_TOKEN = 'tnt_inst_id = :tenantId AND token_hash = :tokenHash'

type ById = { tenantId: string; id: string }
type ByToken = { tenantId: string; tokenHash: string }

// Ends the request as EXPIRED if it is PENDING and past its expiry.
const expire = (where: string) => `
  UPDATE de_sign_request SET status = 'EXPIRED', finished_at = now()
  WHERE ${where} AND status = 'PENDING' AND expire_at <= now()`

export const expireSignRequestById = statement<ById>('expire-sign-request-by-id', expire(BY_ID))
export const expireSignRequestByToken = statement<ByToken>('expire-sign-request-by-token', expire(BY_TOKEN))

export const signRequestById = statement<ById, SignRequestRecord>('sign-request-by-id', `SELECT ${RECORD_COLUMNS} FROM de_sign_request WHERE ${BY_ID}`)
export const signRequestByToken = statement<ByToken, SignRequestRecord>('sign-request-by-token', `SELECT ${RECORD_COLUMNS} FROM de_sign_request WHERE ${BY_TOKEN}`)
/** The same, locking the row, for a transaction that acts on it. */
export const signRequestByIdForUpdate = statement<ById, SignRequestRecord>(
  'sign-request-by-id-for-update',
  `SELECT ${RECORD_COLUMNS} FROM de_sign_request WHERE ${BY_ID} FOR UPDATE`,
)
export const signRequestByTokenForUpdate = statement<ByToken, SignRequestRecord>(
  'sign-request-by-token-for-update',
  `SELECT ${RECORD_COLUMNS} FROM de_sign_request WHERE ${BY_TOKEN} FOR UPDATE`,
)

/** The id of the merchant's request with this reference (no row: none). */
export const signRequestByReference = statement<{ tenantId: string; merchantId: string; merchantReference: string }, { id: string }>(
  'sign-request-by-reference',
  `SELECT sign_request_id AS "id" FROM de_sign_request
   WHERE tnt_inst_id = :tenantId AND merchant_id = :merchantId AND merchant_reference = :merchantReference`,
)
