import { statement } from '@/lib/db/statement'
import { AGREEMENT_COLUMNS, AGREEMENT_OF_TYPE, type AgreementOfTypeParameters, type AgreementRow } from '@/lib/db/statements/agreement-of-type'

/**
 * The merchant's query of one agreement in one round trip: whether the product is
 * the merchant's (`owned`; the caller answers 04 before anything else when not), and
 * the agreement as AGREEMENT_OF_TYPE reads it, which is read only for an owner.
 */
export const agreementForMerchant = statement<AgreementOfTypeParameters & { merchantId: string }, AgreementRow & { owned: boolean }>(
  'agreement-for-merchant',
  `WITH owner AS (
     SELECT 1 FROM de_merchant_prod WHERE tnt_inst_id = :tenantId AND pd_code = :productCode AND merchant_id = :merchantId
   ), ${AGREEMENT_OF_TYPE}
   SELECT EXISTS (SELECT 1 FROM owner) AS owned, ${AGREEMENT_COLUMNS}
   FROM (SELECT 1) AS one
   LEFT JOIN (SELECT 1 AS one FROM owner) o ON true
   LEFT JOIN shown ON o.one IS NOT NULL LEFT JOIN pd ON o.one IS NOT NULL LEFT JOIN rel ON o.one IS NOT NULL`,
)
