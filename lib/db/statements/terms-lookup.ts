import { statement } from '@/lib/db/statement'
import { NEWEST_FIRST } from '@/lib/db/statements/newest-arrangement'

export type TermsLookupRow = {
  arrangementNumber: string | null
  arrangementProperties: string | null
  productFound: boolean
  agreementValues: string | null
  open: boolean
}

type LookupParameters = { tenantId: string; arrangementType: string; userId: string; productCode: string }

// `candidates` limits the arrangements of the type; `chosen` picks among them
const lookup = (candidates: string, chosen: string) => `
  WITH ar AS (
    SELECT ar_number, ar_version, properties FROM de_ar
    WHERE tnt_inst_id = :tenantId AND ar_type = :arrangementType${candidates}
  ), rel AS (
    SELECT r.ar_no, r.property_values FROM de_user_ar_rel r
    WHERE r.tnt_inst_id = :tenantId AND r.user_id = :userId AND r.pd_code = :productCode
      AND r.ar_no IN (SELECT ar_number FROM ar)
    ORDER BY r.rel_id DESC
    LIMIT 1
  ), chosen AS (
    SELECT ar_number, properties FROM ar${chosen}
    ORDER BY ${NEWEST_FIRST}
    LIMIT 1
  )
  SELECT COALESCE((SELECT ar_number FROM chosen), (SELECT min(ar_number) FROM ar)) AS "arrangementNumber",
         (SELECT properties FROM chosen) AS "arrangementProperties",
         EXISTS (SELECT 1 FROM de_prod WHERE tnt_inst_id = :tenantId AND pd_code = :productCode) AS "productFound",
         (SELECT property_values FROM rel) AS "agreementValues",
         EXISTS (SELECT 1 FROM rel) AS "open"`

/** What opening reads before it writes: the newest arrangement in force and its terms, the product, the agreement if open. */
export const termsForOpening = statement<LookupParameters & { inForce: string }, TermsLookupRow>(
  'terms-for-opening',
  lookup(`
      AND ar_status = :inForce`, ''),
)

/** What a change of terms reads: the arrangement the open agreement was made under (any status), its terms, the product, the values. */
export const termsForChange = statement<LookupParameters, TermsLookupRow>(
  'terms-for-change',
  lookup('', `
    WHERE ar_number = (SELECT ar_no FROM rel)`),
)
