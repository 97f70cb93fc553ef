import { statement } from '@/lib/db/statement'
import type { AgreementOutcome } from '@/lib/db/statements/agreement-outcome'

export type CloseParameters = {
  tenantId: string
  arrangementType: string
  productCode: string
  userId: string
  /** who closes: USER (with the session and device), MERCHANT (actorId the merchant) or ADMIN */
  actorType: 'USER' | 'MERCHANT' | 'ADMIN'
  actorId: string | null
  sessionId: string | null
  device: string | null
  reason: string | null
}

/**
 * Closes an agreement, whoever closes it: deletes its row and appends the
 * history row naming the actor (and the reason), in one statement. Of concurrent
 * closes one deletes the row; the others find nothing (`changed` false). An
 * arrangement no longer in force can still be closed.
 */
export const closeAgreement = statement<CloseParameters, AgreementOutcome>(
  'close-agreement',
  `WITH ar AS (
     SELECT ar_number FROM de_ar WHERE tnt_inst_id = :tenantId AND ar_type = :arrangementType
   ), pd AS (
     SELECT pd_code FROM de_prod WHERE tnt_inst_id = :tenantId AND pd_code = :productCode
   ), rel AS (
     DELETE FROM de_user_ar_rel r USING ar
     WHERE r.tnt_inst_id = :tenantId AND r.user_id = :userId
       AND r.pd_code = :productCode AND r.ar_no = ar.ar_number
       AND EXISTS (SELECT 1 FROM pd)
     RETURNING r.pd_code, r.ar_no
   ), ev AS (
     INSERT INTO de_user_ar_event (tnt_inst_id, user_id, pd_code, ar_no, action, outcome_code, session_id, device, actor_type, actor_id, reason, gmt_create)
     SELECT :tenantId, :userId, pd_code, ar_no, 'CLOSE', '00', :sessionId::varchar, :device::varchar, :actorType::varchar, :actorId::varchar, :reason::varchar, now() FROM rel
     RETURNING event_id
   )
   SELECT EXISTS (SELECT 1 FROM ar) AS "arrangementFound",
          EXISTS (SELECT 1 FROM pd) AS "productFound",
          EXISTS (SELECT 1 FROM ev) AS "changed"`,
)
