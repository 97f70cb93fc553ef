import { statement } from '@/lib/db/statement'
import type { MerchantAgreement } from '@/lib/merchants/query-agreement'

/** The origins a merchant registered for its requests' return addresses. */
export const returnOrigins = statement<{ tenantId: string; merchantId: string }, { origin: string }>(
  'return-origins',
  `SELECT origin FROM de_merchant_return_origin WHERE tnt_inst_id = :tenantId AND merchant_id = :merchantId`,
)

export type SignedAgreementRow = MerchantAgreement

/** The agreement a signed request opened, and whether it is still open (no row: its product is gone). */
export const signedAgreement = statement<{ tenantId: string; userId: string; productCode: string; arrangementNo: string; agreementId: string | null }, SignedAgreementRow>(
  'signed-agreement',
  `SELECT :userId AS "userId", p.pd_code AS "productCode", p.pd_name AS "productName",
          a.ar_number AS "arrangementNo", a.ar_name AS "arrangementName", a.ar_version AS "arrangementVersion",
          r.rel_id IS NOT NULL AS "open", r.gmt_create AS "openedAt",
          COALESCE(a.properties, '') AS "terms", COALESCE(r.property_values, '') AS "propertyValues"
   FROM de_prod p
   JOIN de_ar a ON a.tnt_inst_id = p.tnt_inst_id AND a.ar_number = :arrangementNo
   LEFT JOIN de_user_ar_rel r ON r.tnt_inst_id = p.tnt_inst_id AND r.rel_id = :agreementId
   WHERE p.tnt_inst_id = :tenantId AND p.pd_code = :productCode`,
)

export type SignPageNamesRow = {
  merchantName: string | null
  productName: string | null
  orgName: string | null
  description: string | null
  arName: string | null
  arVersion: string | null
  properties: string | null
}

/** What the sign page names: the merchant, the product and the arrangement of a request. */
export const signPageNames = statement<{ tenantId: string; merchantId: string; productCode: string; arrangementNo: string }, SignPageNamesRow>(
  'sign-page-names',
  `SELECT (SELECT merchant_name FROM de_merchant WHERE tnt_inst_id = :tenantId AND merchant_id = :merchantId) AS "merchantName",
          p.pd_name AS "productName", p.pd_org_name AS "orgName", p.pd_desc AS "description",
          a.ar_name AS "arName", a.ar_version AS "arVersion", a.properties
   FROM (SELECT 1) one
   LEFT JOIN de_prod p ON p.tnt_inst_id = :tenantId AND p.pd_code = :productCode
   LEFT JOIN de_ar a ON a.tnt_inst_id = :tenantId AND a.ar_number = :arrangementNo`,
)
