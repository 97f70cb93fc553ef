import { statement } from '@/lib/db/statement'

/** A page of the user's agreements of an arrangement type, newest first; the first row says whether the type exists. */
export type ListRow = {
  arrangementFound: boolean
  agreementId: string | null
  productCode: string | null
  productName: string | null
  productOrgName: string | null
  openedAt: Date | null
  arrangementNo: string | null
  propertyValues: string | null
}

type ListParameters = { tenantId: string; arrangementType: string; userId: string; limit: number }

// each arrangement of the type is a key lookup in the user's agreements, merged by rel_id
const page = (after: string) => `
  WITH ar AS (
    SELECT array_agg(ar_number) AS numbers FROM de_ar
    WHERE tnt_inst_id = :tenantId AND ar_type = :arrangementType
  )
  SELECT ar.numbers IS NOT NULL AS "arrangementFound", page.*
  FROM ar LEFT JOIN LATERAL (
    SELECT r.rel_id AS "agreementId", r.pd_code AS "productCode", r.pd_name AS "productName",
           (SELECT p.pd_org_name FROM de_prod p WHERE p.tnt_inst_id = r.tnt_inst_id AND p.pd_code = r.pd_code) AS "productOrgName",
           r.gmt_create AS "openedAt", r.ar_no AS "arrangementNo", r.property_values AS "propertyValues"
    FROM unnest(ar.numbers) AS n(ar_no)
    CROSS JOIN LATERAL (
      SELECT * FROM de_user_ar_rel r
      WHERE r.tnt_inst_id = :tenantId AND r.user_id = :userId AND r.ar_no = n.ar_no${after}
      ORDER BY r.rel_id DESC
      LIMIT :limit
    ) r
    ORDER BY r.rel_id DESC
    LIMIT :limit
  ) page ON true`

/** The first page: at most `limit` rows. */
export const listFirstPage = statement<ListParameters, ListRow>('list-first-page', page(''))

/** A later page: the rows after `afterAgreementId`, the last of the previous page. */
export const listLaterPage = statement<ListParameters & { afterAgreementId: string }, ListRow>('list-later-page', page(`
        AND r.rel_id < :afterAgreementId`))
