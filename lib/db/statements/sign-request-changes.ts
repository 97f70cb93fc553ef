import { statement } from '@/lib/db/statement'
import type { SignRequestRecord } from '@/lib/db/statements/sign-request-record'

// Each change moves a request that is PENDING and unexpired, and only such a one.
const STILL_PENDING = `status = 'PENDING' AND expire_at > now()`

/** The user declines the request behind a link (no row: it was not PENDING, or is past its expiry). */
export const declineSignRequest = statement<{ tenantId: string; tokenHash: string; userId: string }, { id: string }>(
  'decline-sign-request',
  `UPDATE de_sign_request SET status = 'DECLINED', user_id = :userId, finished_at = now()
   WHERE tnt_inst_id = :tenantId AND token_hash = :tokenHash AND ${STILL_PENDING}
   RETURNING sign_request_id AS "id"`,
)

/** The merchant cancels its request (no row: not PENDING any more). */
export const cancelSignRequest = statement<{ tenantId: string; id: string; merchantId: string }, { finishedAt: Date }>(
  'cancel-sign-request',
  `UPDATE de_sign_request SET status = 'CANCELLED', finished_at = now()
   WHERE tnt_inst_id = :tenantId AND sign_request_id = :id AND merchant_id = :merchantId AND ${STILL_PENDING}
   RETURNING finished_at AS "finishedAt"`,
)

/** The request is SIGNED by the user, naming the agreement it opened. */
export const markSignRequestSigned = statement<{ tenantId: string; id: string; userId: string; agreementId: string; arrangementNo: string }, { finishedAt: Date }>(
  'mark-sign-request-signed',
  `UPDATE de_sign_request SET status = 'SIGNED', user_id = :userId, rel_id = :agreementId, ar_no = :arrangementNo, finished_at = now()
   WHERE tnt_inst_id = :tenantId AND sign_request_id = :id AND ${STILL_PENDING}
   RETURNING finished_at AS "finishedAt"`,
)

/** Ends at most `limit` PENDING requests past their expiry as EXPIRED, skipping rows another transaction holds. */
export const expireSignRequests = statement<{ tenantId: string; limit: number }>(
  'expire-sign-requests',
  `UPDATE de_sign_request SET status = 'EXPIRED', finished_at = now()
   WHERE ctid IN (
     SELECT ctid FROM de_sign_request
     WHERE tnt_inst_id = :tenantId AND status = 'PENDING' AND expire_at <= now()
     LIMIT :limit FOR UPDATE SKIP LOCKED)
     AND status = 'PENDING'`,
)

/** A new request; no row when the merchant already has one with this reference. */
export const insertSignRequest = statement<
  Pick<SignRequestRecord, 'id' | 'merchantId' | 'merchantReference' | 'productCode' | 'arrangementNo' | 'propertyValues' | 'returnUrl' | 'expiresInSeconds'> & {
    tenantId: string
    tokenHash: string
  },
  { id: string }
>(
  'insert-sign-request',
  `INSERT INTO de_sign_request (tnt_inst_id, sign_request_id, merchant_id, merchant_reference, pd_code, ar_no, property_values,
                                return_url, expires_in_seconds, token_hash, status, gmt_create, expire_at)
   VALUES (:tenantId, :id, :merchantId, :merchantReference, :productCode, :arrangementNo,
           :propertyValues, :returnUrl, :expiresInSeconds, :tokenHash,
           'PENDING', now(), now() + make_interval(secs => :expiresInSeconds::int))
   ON CONFLICT (tnt_inst_id, merchant_id, merchant_reference) DO NOTHING
   RETURNING sign_request_id AS "id"`,
)
