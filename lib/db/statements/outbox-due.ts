import { statement } from '@/lib/db/statement'
import type { EventRow } from '@/lib/webhooks/event-payload'

export type OutboxDueRow = Omit<EventRow, 'signRequest'> & {
  outboxId: bigint
  attempts: number
  url: string | null
  merchantId: string
  plainSecret: string | null
  sealedSecret: string | null
  secretKeyId: string | null
  plainPreviousSecret: string | null
  sealedPreviousSecret: string | null
  previousKeyId: string | null
  previousUntil: Date | null
  /** the sign request the row delivers the outcome of, when it is one */
  srId: string | null
  srReference: string | null
  srStatus: string | null
  srValues: string | null
}

/** A PENDING outbox row with its event (or sign request) and the merchant's endpoint and secrets (no row: nothing to send). */
export const outboxDue = statement<{ tenantId: string; outboxId: bigint }, OutboxDueRow>(
  'outbox-due',
  `SELECT o.outbox_id AS "outboxId", o.attempts, o.tnt_inst_id AS "tenantId", e.event_id AS "eventId",
          COALESCE(e.user_id, s.user_id, '') AS "userId", o.pd_code AS "productCode", COALESCE(e.ar_no, s.ar_no) AS "arrangementNo",
          COALESCE(e.action, s.status) AS action, COALESCE(e.actor_type, 'USER') AS "actorType", e.reason,
          COALESCE(e.gmt_create, s.finished_at, o.gmt_create) AS "at",
          s.sign_request_id AS "srId", s.merchant_reference AS "srReference", s.status AS "srStatus",
          r.property_values AS "srValues",
          o.merchant_id AS "merchantId", w.url, w.previous_until AS "previousUntil",
          w.signing_secret AS "plainSecret", w.sealed_secret AS "sealedSecret", w.secret_key_id AS "secretKeyId",
          w.previous_secret AS "plainPreviousSecret", w.sealed_previous_secret AS "sealedPreviousSecret", w.previous_key_id AS "previousKeyId"
   FROM de_webhook_outbox o
   LEFT JOIN de_user_ar_event e ON e.tnt_inst_id = o.tnt_inst_id AND e.event_id = o.event_id
   LEFT JOIN de_sign_request s ON s.tnt_inst_id = o.tnt_inst_id AND s.sign_request_id = o.sign_request_id
   LEFT JOIN de_user_ar_rel r ON r.tnt_inst_id = s.tnt_inst_id AND r.rel_id = s.rel_id
   LEFT JOIN de_webhook_endpoint w ON w.tnt_inst_id = o.tnt_inst_id AND w.merchant_id = o.merchant_id
   WHERE o.tnt_inst_id = :tenantId AND o.outbox_id = :outboxId AND o.status = 'PENDING'
     AND (e.event_id IS NOT NULL OR s.sign_request_id IS NOT NULL)`,
)
