import { statement } from '@/lib/db/statement'

/**
 * Merges new term values into an open agreement's stored ones and appends the
 * CHANGE event with the values in effect afterwards, in one statement: concurrent
 * changes of different terms both keep theirs; an agreement closed meanwhile is
 * not `changed`.
 */
export const changeAgreement = statement<
  { tenantId: string; userId: string; productCode: string; arrangementNo: string; changes: string; sessionId: string; device: string },
  { changed: boolean }
>(
  'change-agreement',
  `WITH rel AS (
     UPDATE de_user_ar_rel r
     SET property_values = (COALESCE(r.property_values, '{}')::jsonb || :changes::jsonb)::text, gmt_modified = now()
     WHERE r.tnt_inst_id = :tenantId AND r.user_id = :userId
       AND r.pd_code = :productCode AND r.ar_no = :arrangementNo
     RETURNING r.pd_code, r.ar_no, r.property_values
   ), ev AS (
     INSERT INTO de_user_ar_event (tnt_inst_id, user_id, pd_code, ar_no, action, outcome_code, session_id, device, property_values, gmt_create)
     SELECT :tenantId, :userId, pd_code, ar_no, 'CHANGE', '00', :sessionId, :device, property_values, now() FROM rel
     RETURNING event_id
   )
   SELECT EXISTS (SELECT 1 FROM ev) AS "changed"`,
)
