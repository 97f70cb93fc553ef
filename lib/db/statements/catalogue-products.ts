import { statement } from '@/lib/db/statement'
import type { ProductRow } from '@/lib/db/statements/arrangement-row'
import { ARRANGEMENT_IN_FORCE, type CatalogueParameters } from '@/lib/db/statements/catalogue-arrangement'

export type CatalogueProductRow = ProductRow & { opened: boolean }

/**
 * The tenant's products by code, at most `size`, each marked when the user has it
 * open under the catalogue's arrangement.
 */
export const catalogueProducts = statement<CatalogueParameters & { userId: string; size: number }, CatalogueProductRow>(
  'catalogue-products',
  `WITH ar AS (${ARRANGEMENT_IN_FORCE}
   )
   SELECT p.pd_code AS "code", p.pd_name AS "name", p.pd_org_name AS "orgName", p.pd_desc AS "description",
          p.pd_code IN (
            SELECT r.pd_code FROM de_user_ar_rel r
            WHERE r.tnt_inst_id = :tenantId AND r.user_id = :userId AND r.ar_no = (SELECT "number" FROM ar)
          ) AS "opened"
   FROM de_prod p
   WHERE p.tnt_inst_id = :tenantId
   ORDER BY p.pd_code
   LIMIT :size`,
)
