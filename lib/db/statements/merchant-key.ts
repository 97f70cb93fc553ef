import { statement } from '@/lib/db/statement'

/**
 * The merchant a live key belongs to, and the stored hash its secret must match (no
 * row: unknown, revoked, past its overlap window, or the merchant is not active).
 */
export const merchantKey = statement<{ tenantId: string; keyId: string; activeStatus: string }, { merchantId: string; secretHash: string }>(
  'merchant-key',
  `SELECT c.merchant_id AS "merchantId", c.secret_hash AS "secretHash"
   FROM de_merchant_credential c
   JOIN de_merchant m ON m.tnt_inst_id = c.tnt_inst_id AND m.merchant_id = c.merchant_id
   WHERE c.tnt_inst_id = :tenantId AND c.key_id = :keyId
     AND c.revoked_at IS NULL AND (c.expires_at IS NULL OR c.expires_at > now())
     AND m.merchant_status = :activeStatus`,
)
