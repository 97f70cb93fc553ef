import type { Executor } from '@/lib/agreements/idempotency'
import {
  expireSignRequestById,
  expireSignRequestByToken,
  signRequestById,
  signRequestByIdForUpdate,
  signRequestByToken,
  signRequestByTokenForUpdate,
  type SignRequestRecord,
} from '@/lib/db/statements/sign-request-record'

export type { SignRequestRecord }

/** Which request: by its id (the merchant's calls) or by its link's token hash (the sign page). */
export type SignRequestKey = { id: string } | { tokenHash: string }

/**
 * The request, after ending it as EXPIRED if it is PENDING and past its expiry:
 * whoever looks first (the merchant's query, the page, the sweep) records the
 * expiry and its event, so nobody is ever shown PENDING for a request that can no
 * longer be signed. `forUpdate` also locks the row, for a transaction that acts on it.
 */
export async function readSignRequest(db: Executor, tenantId: string, key: SignRequestKey, options: { forUpdate?: boolean } = {}): Promise<SignRequestRecord | undefined> {
  if ('id' in key) {
    const params = { tenantId, id: key.id }
    await expireSignRequestById.run(db, params)
    const [row] = await (options.forUpdate ? signRequestByIdForUpdate : signRequestById).run(db, params)
    return row
  }
  const params = { tenantId, tokenHash: key.tokenHash }
  await expireSignRequestByToken.run(db, params)
  const [row] = await (options.forUpdate ? signRequestByTokenForUpdate : signRequestByToken).run(db, params)
  return row
}
