// The SQL of the merchant's checks, as parameterised text ($1, $2, …): the app runs it
// (authenticate-merchant.ts, merchant-products.ts) and so does the benchmark's floor,
// so the two cannot drift.

/**
 * The merchant a live key belongs to, and the stored hash its secret must match (no
 * row: unknown, revoked, past its overlap window, or the merchant is not active).
 * $1 tenant, $2 key id, $3 the active merchant status
 */
export const MERCHANT_KEY = `
  SELECT c.merchant_id AS "merchantId", c.secret_hash AS "secretHash"
  FROM de_merchant_credential c
  JOIN de_merchant m ON m.tnt_inst_id = c.tnt_inst_id AND m.merchant_id = c.merchant_id
  WHERE c.tnt_inst_id = $1 AND c.key_id = $2
    AND c.revoked_at IS NULL AND (c.expires_at IS NULL OR c.expires_at > now())
    AND m.merchant_status = $3`

/** The merchant a product belongs to (no row: none). $1 tenant, $2 product */
export const PRODUCT_MERCHANT = `
  SELECT merchant_id AS "merchantId" FROM de_merchant_prod WHERE tnt_inst_id = $1 AND pd_code = $2`
