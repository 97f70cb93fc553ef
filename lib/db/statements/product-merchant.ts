import { statement } from '@/lib/db/statement'

/** The merchant a product belongs to (no row: none). */
export const productMerchant = statement<{ tenantId: string; productCode: string }, { merchantId: string }>(
  'product-merchant',
  `SELECT merchant_id AS "merchantId" FROM de_merchant_prod WHERE tnt_inst_id = :tenantId AND pd_code = :productCode`,
)
