import { statement } from '@/lib/db/statement'
import type { EventRow } from '@/lib/webhooks/event-payload'

/** One history row as the change feed reads it: the fields a webhook carries, and the feed's cursor. */
export type ChangeRow = Pick<EventRow, 'userId' | 'productCode' | 'arrangementNo' | 'action' | 'actorType' | 'reason' | 'at'> & {
  eventId: bigint
  txId: bigint
}

/**
 * A product's events after the cursor (transaction id, event id), oldest first, at
 * most `limit`: a row only once no transaction older than it is still running.
 */
export const agreementChanges = statement<{ tenantId: string; productCode: string; afterTxId: bigint; afterEventId: bigint; limit: number }, ChangeRow>(
  'agreement-changes',
  `SELECT event_id AS "eventId", tx_id AS "txId", user_id AS "userId", pd_code AS "productCode", ar_no AS "arrangementNo",
          action, actor_type AS "actorType", reason, gmt_create AS "at"
   FROM de_user_ar_event
   WHERE tnt_inst_id = :tenantId AND pd_code = :productCode
     AND tx_id < (pg_snapshot_xmin(pg_current_snapshot())::text)::bigint
     AND (tx_id, event_id) > (:afterTxId, :afterEventId)
   ORDER BY tx_id, event_id
   LIMIT :limit`,
)
