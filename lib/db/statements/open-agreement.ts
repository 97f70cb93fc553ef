import { statement } from '@/lib/db/statement'
import type { AgreementOutcome } from '@/lib/db/statements/agreement-outcome'
import { NEWEST_FIRST } from '@/lib/db/statements/newest-arrangement'

export type OpenParameters = {
  tenantId: string
  arrangementType: string
  productCode: string
  userId: string
  agreementId: string
  sessionId: string
  device: string
  inForce: string
  /** the arrangement whose terms the values were checked against (null: the newest in force, no values checked) */
  arrangementNo: string | null
  /** that arrangement's terms as they were read (null: none); the open is refused as `stale` if they changed since */
  checkedProperties: string | null
  /** the term values as JSON (null: none) */
  propertyValues: string | null
}

/**
 * Opens an agreement: checks the arrangement (the newest in force of the type) and
 * the product, copies their names and the values into the agreement, and appends
 * the event with the values, atomically. When the values were checked against an
 * arrangement's terms, that arrangement must still be the newest in force with the
 * same terms, else nothing is written and `stale` says so (the caller reads the
 * terms again). The unique key on (tenant, user, product, arrangement) settles
 * concurrent opens: one row, the others find `changed` false.
 */
export const openAgreement = statement<OpenParameters, AgreementOutcome & { stale: boolean }>(
  'open-agreement',
  `WITH newest AS (
     SELECT ar_number, ar_name, properties FROM de_ar
     WHERE tnt_inst_id = :tenantId AND ar_type = :arrangementType AND ar_status = :inForce
     ORDER BY ${NEWEST_FIRST} LIMIT 1
   ), ar AS (
     SELECT ar_number, ar_name FROM newest
     WHERE :arrangementNo::varchar IS NULL
        OR (ar_number = :arrangementNo::varchar AND properties IS NOT DISTINCT FROM :checkedProperties::text)
   ), pd AS (
     SELECT pd_code, pd_name FROM de_prod WHERE tnt_inst_id = :tenantId AND pd_code = :productCode
   ), rel AS (
     INSERT INTO de_user_ar_rel (tnt_inst_id, rel_id, user_id, pd_code, pd_name, ar_name, ar_no, property_values, gmt_create, gmt_modified)
     SELECT :tenantId, :agreementId, :userId, pd.pd_code, pd.pd_name, ar.ar_name, ar.ar_number, :propertyValues::varchar, now(), now()
     FROM ar, pd
     ON CONFLICT (tnt_inst_id, user_id, pd_code, ar_no) DO NOTHING
     RETURNING pd_code, ar_no, property_values
   ), ev AS (
     INSERT INTO de_user_ar_event (tnt_inst_id, user_id, pd_code, ar_no, action, outcome_code, session_id, device, property_values, gmt_create)
     SELECT :tenantId, :userId, pd_code, ar_no, 'OPEN', '00', :sessionId, :device, property_values, now() FROM rel
     RETURNING event_id
   )
   SELECT EXISTS (SELECT 1 FROM newest) AS "arrangementFound",
          EXISTS (SELECT 1 FROM pd) AS "productFound",
          EXISTS (SELECT 1 FROM ev) AS "changed",
          EXISTS (SELECT 1 FROM newest) AND NOT EXISTS (SELECT 1 FROM ar) AS "stale"`,
)
