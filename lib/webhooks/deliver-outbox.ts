import { Webhook } from 'standardwebhooks'
import { Prisma } from '@/lib/generated/prisma/client'
import { prisma } from '@/lib/db'
import { config } from '@/lib/config'
import { metrics } from '@/lib/observability/metrics'
import { eventPayload, webhookId, type EventRow } from '@/lib/webhooks/event-payload'
import { retryDelayMs } from '@/lib/webhooks/retry-schedule'
import { safePost } from '@/lib/webhooks/safe-post'

/** How many agreements' next events one round sends at once. */
const BATCH = 20

type Claimed = EventRow & {
  outboxId: bigint
  attempts: number
  url: string | null
  secret: string | null
  previousSecret: string | null
  previousUntil: Date | null
}

export type RoundResult = { claimed: number; delivered: number; failed: number }

/**
 * One round of delivery (docs/merchants.md#notifications). It claims the due
 * events that head their agreement's queue (no earlier PENDING event of the same
 * user, product, arrangement and merchant), by moving their next attempt past the
 * attempt's timeout: a lease, taken in one statement with SKIP LOCKED, so that the
 * app and a worker, or several instances, never send one event at the same time,
 * and no transaction stays open across the network. A process that dies mid-send
 * leaves its lease to run out; then the event goes again (at least once).
 */
export async function deliverDueEvents(): Promise<RoundResult> {
  const c = config()
  const tenantId = c.FC_TENANT_ID
  // outlasts an attempt (its timeout) and the recording of its outcome (two bounded queries)
  const leaseSeconds = Math.ceil((c.WEBHOOK_TIMEOUT_MS + 2 * c.DB_TIMEOUT_MS) / 1000) + 1
  const claimed = await prisma.$queryRaw<Claimed[]>(Prisma.sql`
    WITH due AS (
      SELECT o.outbox_id FROM de_webhook_outbox o
      WHERE o.tnt_inst_id = ${tenantId} AND o.status = 'PENDING' AND o.next_attempt_at <= now()
        AND NOT EXISTS (
          SELECT 1 FROM de_webhook_outbox p
          WHERE p.tnt_inst_id = o.tnt_inst_id AND p.merchant_id = o.merchant_id AND p.user_id = o.user_id
            AND p.pd_code = o.pd_code AND p.ar_no = o.ar_no AND p.status = 'PENDING' AND p.outbox_id < o.outbox_id)
      ORDER BY o.outbox_id
      LIMIT ${BATCH}
      FOR UPDATE SKIP LOCKED
    ), leased AS (
      UPDATE de_webhook_outbox o SET next_attempt_at = now() + make_interval(secs => ${leaseSeconds})
      FROM due WHERE o.tnt_inst_id = ${tenantId} AND o.outbox_id = due.outbox_id
      RETURNING o.*
    )
    SELECT l.outbox_id AS "outboxId", l.attempts, l.tnt_inst_id AS "tenantId", e.event_id AS "eventId",
           e.user_id AS "userId", e.pd_code AS "productCode", e.ar_no AS "arrangementNo", e.action,
           e.actor_type AS "actorType", e.reason, e.gmt_create AS "at",
           w.url, w.signing_secret AS "secret", w.previous_secret AS "previousSecret", w.previous_until AS "previousUntil"
    FROM leased l
    JOIN de_user_ar_event e ON e.tnt_inst_id = l.tnt_inst_id AND e.event_id = l.event_id
    LEFT JOIN de_webhook_endpoint w ON w.tnt_inst_id = l.tnt_inst_id AND w.merchant_id = l.merchant_id
    ORDER BY l.outbox_id`)
  const outcomes = await Promise.all(claimed.map((row) => attempt(row)))
  return { claimed: claimed.length, delivered: outcomes.filter(Boolean).length, failed: outcomes.filter((ok) => !ok).length }
}

/** Sends one event and records the attempt; true when the receiver took it (2xx). */
async function attempt(row: Claimed): Promise<boolean> {
  const c = config()
  const started = performance.now()
  let httpStatus: number | null = null
  let error: string | null = null
  try {
    if (!row.url || !row.secret) throw new Error('the merchant has no webhook endpoint')
    const id = webhookId(row)
    const sentAt = new Date()
    const body = eventPayload(row)
    const signatures = [new Webhook(row.secret).sign(id, sentAt, body)]
    // during a rotation's overlap both secrets sign: receivers still on the old one keep verifying
    if (row.previousSecret && row.previousUntil && row.previousUntil > sentAt) signatures.push(new Webhook(row.previousSecret).sign(id, sentAt, body))
    const headers = {
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)),
      'webhook-signature': signatures.join(' '),
    }
    const answer = await safePost(row.url, headers, body, {
      timeoutMs: c.WEBHOOK_TIMEOUT_MS,
      maxResponseBytes: c.WEBHOOK_MAX_RESPONSE_BYTES,
      allowPrivate: c.WEBHOOK_ALLOW_PRIVATE,
    })
    httpStatus = answer.status
    if (httpStatus < 200 || httpStatus > 299) error = `the endpoint answered ${httpStatus}`
  } catch (cause) {
    error = (cause instanceof Error ? cause.message : String(cause)).slice(0, 255)
  }
  const durationMs = Math.round(performance.now() - started)
  const ok = error === null
  const delayMs = retryDelayMs(row.attempts + 1, c.WEBHOOK_RETRY_BASE_MS, c.WEBHOOK_RETRY_MAX_MS)
  const [recorded] = await prisma.$queryRaw<{ status: string }[]>(Prisma.sql`
    WITH attempt AS (
      INSERT INTO de_webhook_attempt (tnt_inst_id, outbox_id, http_status, error, duration_ms, gmt_create)
      VALUES (${row.tenantId}, ${row.outboxId}, ${httpStatus}, ${error}, ${durationMs}, now())
    )
    UPDATE de_webhook_outbox SET
      attempts = attempts + 1,
      last_error = ${error},
      delivered_at = CASE WHEN ${ok} THEN now() END,
      retry_until = COALESCE(retry_until, gmt_create + make_interval(secs => ${c.WEBHOOK_RETRY_WINDOW_SECONDS})),
      status = CASE WHEN ${ok} THEN 'DELIVERED'
                    WHEN now() >= COALESCE(retry_until, gmt_create + make_interval(secs => ${c.WEBHOOK_RETRY_WINDOW_SECONDS})) THEN 'FAILED'
                    ELSE 'PENDING' END,
      next_attempt_at = now() + make_interval(secs => ${delayMs / 1000})
    WHERE tnt_inst_id = ${row.tenantId} AND outbox_id = ${row.outboxId}
    RETURNING status`)
  metrics.webhookAttempts.inc({ outcome: ok ? 'delivered' : recorded?.status === 'FAILED' ? 'failed' : 'retry' })
  return ok
}
