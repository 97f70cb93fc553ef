// What the detail and the merchant's query read of one user's agreement on one
// product under an arrangement type: the arrangements of the type, the agreement
// (the newest, if there are several), the arrangement it is described by, and the
// product. CTEs the two statements share, so they describe an agreement alike.
import { ARRANGEMENT_COLUMNS } from '@/lib/db/statements/arrangement-row'
import { SHOWN_FIRST } from '@/lib/db/statements/newest-arrangement'

export type AgreementOfTypeParameters = { tenantId: string; arrangementType: string; userId: string; productCode: string; inForce: string }

export const AGREEMENT_OF_TYPE = `
  ar AS (
    SELECT ar_number, ar_name, ar_version, ar_type, ar_status, properties FROM de_ar
    WHERE tnt_inst_id = :tenantId AND ar_type = :arrangementType
  ), rel AS (
    SELECT r.gmt_create, r.ar_no, r.property_values FROM de_user_ar_rel r
    WHERE r.tnt_inst_id = :tenantId AND r.user_id = :userId AND r.pd_code = :productCode
      AND r.ar_no IN (SELECT ar_number FROM ar)
    ORDER BY r.rel_id DESC
    LIMIT 1
  ), shown AS (
    SELECT ${ARRANGEMENT_COLUMNS} FROM ar
    ORDER BY ${SHOWN_FIRST('(SELECT ar_no FROM rel)')}
    LIMIT 1
  ), pd AS (
    SELECT pd_code, pd_name, pd_org_name, pd_desc FROM de_prod WHERE tnt_inst_id = :tenantId AND pd_code = :productCode
  )`

/** The columns of AGREEMENT_OF_TYPE's answer, over `shown`, `pd` and `rel` joined to one row. */
export const AGREEMENT_COLUMNS = `
    shown."number" AS "arrangementNumber", shown."name" AS "arrangementName", shown."version" AS "arrangementVersion",
    shown."type" AS "arrangementType", shown.properties AS "arrangementProperties",
    pd.pd_code AS "productCode", pd.pd_name AS "productName", pd.pd_org_name AS "productOrgName", pd.pd_desc AS "productDescription",
    rel.ar_no IS NOT NULL AS "open", rel.gmt_create AS "openedAt", rel.property_values AS "propertyValues"`

export const AGREEMENT_FROM = `
  FROM (SELECT 1) AS one
  LEFT JOIN shown ON true LEFT JOIN pd ON true LEFT JOIN rel ON true`

/** One row: each part NULL when not found (the arrangement: 15; the product: 14; the agreement: not open). */
export type AgreementRow = {
  arrangementNumber: string | null
  arrangementName: string | null
  arrangementVersion: string | null
  arrangementType: string | null
  arrangementProperties: string | null
  productCode: string | null
  productName: string | null
  productOrgName: string | null
  productDescription: string | null
  open: boolean
  openedAt: Date | null
  propertyValues: string | null
}
