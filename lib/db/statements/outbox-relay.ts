import { statement } from '@/lib/db/statement'

// one relay at a time across every process on the database: two relays taking rows of
// one agreement side by side could queue a later event before an earlier one
/** Takes the relay's transaction lock, or says another process holds it. */
export const takeRelayLock = statement<Record<string, never>, { locked: boolean }>(
  'take-relay-lock',
  `SELECT pg_try_advisory_xact_lock(hashtext('fcdeduction.webhook-relay')) AS locked`,
)

export type WaitingRow = { outboxId: bigint; merchantId: string; userId: string; productCode: string; arrangementNo: string }

/** Outbox rows waiting for a job, oldest first: never queued, or queued before `requeueAfterSeconds` ago. */
export const waitingOutbox = statement<{ tenantId: string; requeueAfterSeconds: number; batch: number }, WaitingRow>(
  'waiting-outbox',
  `SELECT outbox_id AS "outboxId", merchant_id AS "merchantId", user_id AS "userId", pd_code AS "productCode", ar_no AS "arrangementNo"
   FROM de_webhook_outbox
   WHERE tnt_inst_id = :tenantId AND status = 'PENDING'
     AND (queued_at IS NULL OR queued_at < now() - make_interval(secs => :requeueAfterSeconds))
   ORDER BY outbox_id
   LIMIT :batch`,
)

/** Marks outbox rows queued, each with its job's id (the two arrays side by side). */
export const markOutboxQueued = statement<{ tenantId: string; outboxIds: bigint[]; jobIds: string[] }>(
  'mark-outbox-queued',
  `UPDATE de_webhook_outbox o SET queued_at = now(), job_id = j.id::uuid
   FROM unnest(:outboxIds::bigint[], :jobIds::text[]) AS j(outbox_id, id)
   WHERE o.tnt_inst_id = :tenantId AND o.outbox_id = j.outbox_id`,
)
