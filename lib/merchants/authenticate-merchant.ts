import { prisma } from '@/lib/db'
import { DomainError, ResultCode } from '@/lib/errors'
import { config } from '@/lib/config'
import { parseMerchantAuthorization, secretMatches } from '@/lib/merchants/api-key'
import type { MerchantActor } from '@/lib/merchants/merchant-actor'
import { MerchantStatus } from '@/lib/merchants/merchant-status'

/**
 * The merchant behind `Authorization: Bearer <keyId>.<secret>` in this tenant, or 03:
 * a key that is malformed, unknown, revoked, past its overlap window, or whose
 * merchant is disabled. A user's token is not a merchant key and answers 03 too.
 */
export async function authenticateMerchant(authorization: string | null | undefined): Promise<MerchantActor> {
  const presented = parseMerchantAuthorization(authorization)
  if (!presented) throw new DomainError(ResultCode.NOT_LOGGED_IN)
  const tenantId = config().FC_TENANT_ID
  const [key] = await prisma.$queryRaw<{ merchantId: string; secretHash: string }[]>`
    SELECT c.merchant_id AS "merchantId", c.secret_hash AS "secretHash"
    FROM de_merchant_credential c
    JOIN de_merchant m ON m.tnt_inst_id = c.tnt_inst_id AND m.merchant_id = c.merchant_id
    WHERE c.tnt_inst_id = ${tenantId} AND c.key_id = ${presented.keyId}
      AND c.revoked_at IS NULL AND (c.expires_at IS NULL OR c.expires_at > now())
      AND m.merchant_status = ${MerchantStatus.ACTIVE}`
  if (!key || !secretMatches(presented.secret, key.secretHash)) throw new DomainError(ResultCode.NOT_LOGGED_IN)
  return { tenantId, merchantId: key.merchantId, keyId: presented.keyId }
}
