import { statement } from '@/lib/db/statement'
import { AGREEMENT_COLUMNS, AGREEMENT_FROM, AGREEMENT_OF_TYPE, type AgreementOfTypeParameters, type AgreementRow } from '@/lib/db/statements/agreement-of-type'

/** One event of an agreement's history as the detail statement returns it (JSON: the time as epoch milliseconds). */
export type HistoryEntry = {
  action: string
  outcomeCode: string
  atMs: number
  device: string | null
  propertyValues: string | null
  actorType: string
  reason: string | null
}

/**
 * The user's detail of one agreement in one round trip: the agreement as
 * AGREEMENT_OF_TYPE reads it, and its history under arrangements of the type, its
 * latest `historySize` events oldest first (a long history shows how it stands now,
 * not how it began).
 */
export const agreementDetail = statement<AgreementOfTypeParameters & { historySize: number }, AgreementRow & { history: HistoryEntry[] }>(
  'agreement-detail',
  `WITH ${AGREEMENT_OF_TYPE}, history AS (
     SELECT e.event_id, e.action, e.outcome_code AS "outcomeCode", (extract(epoch FROM e.gmt_create) * 1000)::float8 AS "atMs",
            e.device, e.property_values AS "propertyValues", e.actor_type AS "actorType", e.reason
     FROM de_user_ar_event e
     WHERE e.tnt_inst_id = :tenantId AND e.user_id = :userId AND e.pd_code = :productCode
       AND e.ar_no IN (SELECT ar_number FROM ar)
     ORDER BY e.event_id DESC
     LIMIT :historySize
   )
   SELECT ${AGREEMENT_COLUMNS},
          (SELECT COALESCE(json_agg(json_build_object(
                    'action', h.action, 'outcomeCode', h."outcomeCode", 'atMs', h."atMs", 'device', h.device,
                    'propertyValues', h."propertyValues", 'actorType', h."actorType", 'reason', h.reason) ORDER BY h.event_id), '[]'::json)
           FROM history h) AS history
   ${AGREEMENT_FROM}`,
)
