import { Webhook } from 'standardwebhooks'
import { Prisma } from '@/lib/generated/prisma/client'
import { prisma } from '@/lib/db'
import { config } from '@/lib/config'
import { metrics } from '@/lib/observability/metrics'
import { eventPayload, webhookId, type EventRow } from '@/lib/webhooks/event-payload'
import type { DeliveryJob } from '@/lib/webhooks/outbox-relay'
import { safePost } from '@/lib/webhooks/safe-post'
import { isDemoShopDelivery } from '@/lib/demo-shop/demo-shop-delivery'
import { dataKeyring } from '@/lib/sealing/keyring'
import { openSigningSecret } from '@/lib/webhooks/signing-secret'

type Due = EventRow & {
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
}

/** The sign request an outbox row delivers the outcome of, when it is one (lib/webhooks/event-payload.ts). */
type SignRequestColumns = { srId: string | null; srReference: string | null; srStatus: string | null; srValues: string | null }

/** What became of one delivery job: sent, to be retried (the job fails, pg-boss retries it), given up on, or nothing to send. */
export type Outcome = 'delivered' | 'retry' | 'failed' | 'skipped'

/**
 * One delivery job (docs/merchants.md#notifications): the outbox row's event, sent
 * to the merchant's endpoint and the attempt recorded. A row that is no longer
 * PENDING (delivered by an earlier copy of the job, or removed) is skipped: a job
 * can run twice when a process dies between the send and its record.
 */
export async function deliverOutboxEvent(job: DeliveryJob): Promise<{ outcome: Outcome; error?: string }> {
  const [found] = await prisma.$queryRaw<(Due & SignRequestColumns)[]>(Prisma.sql`
    SELECT o.outbox_id AS "outboxId", o.attempts, o.tnt_inst_id AS "tenantId", e.event_id AS "eventId",
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
    WHERE o.tnt_inst_id = ${job.tenantId} AND o.outbox_id = ${BigInt(job.outboxId)} AND o.status = 'PENDING'
      AND (e.event_id IS NOT NULL OR s.sign_request_id IS NOT NULL)`)
  const row: Due | undefined = found && {
    ...found,
    signRequest: found.srId
      ? { id: found.srId, merchantReference: found.srReference ?? '', status: found.srStatus ?? '', propertyValues: found.srValues }
      : null,
  }
  if (!row) return { outcome: 'skipped' }
  return attempt(row)
}

/**
 * A secret in clear: opened with the data key whose id is beside it, or, for a row
 * an earlier release wrote and this one has not sealed yet, the plain column. A key
 * that is not configured fails the attempt, which is retried (its id is in the error).
 */
function signingSecret(row: Due, plain: string | null, sealed: string | null, keyId: string | null): string | null {
  if (sealed !== null && keyId !== null) return openSigningSecret(dataKeyring(), { sealed, keyId }, row)
  return plain
}

/** Sends one event and records the attempt. */
async function attempt(row: Due): Promise<{ outcome: Outcome; error?: string }> {
  const c = config()
  const started = performance.now()
  let httpStatus: number | null = null
  let error: string | null = null
  try {
    const secret = signingSecret(row, row.plainSecret, row.sealedSecret, row.secretKeyId)
    if (!row.url || !secret) throw new Error('the merchant has no webhook endpoint')
    const id = webhookId(row)
    const sentAt = new Date()
    const body = eventPayload(row)
    const signatures = [new Webhook(secret).sign(id, sentAt, body)]
    // during a rotation's overlap both secrets sign: receivers still on the old one keep verifying
    const previous = row.previousUntil && row.previousUntil > sentAt ? signingSecret(row, row.plainPreviousSecret, row.sealedPreviousSecret, row.previousKeyId) : null
    if (previous) signatures.push(new Webhook(previous).sign(id, sentAt, body))
    const headers = {
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)),
      'webhook-signature': signatures.join(' '),
    }
    const answer = await safePost(row.url, headers, body, {
      timeoutMs: c.WEBHOOK_TIMEOUT_MS,
      maxResponseBytes: c.WEBHOOK_MAX_RESPONSE_BYTES,
      allowPrivate: c.WEBHOOK_ALLOW_PRIVATE || (await isDemoShopDelivery(row.url)),
    })
    httpStatus = answer.status
    if (httpStatus < 200 || httpStatus > 299) error = `the endpoint answered ${httpStatus}`
  } catch (cause) {
    error = (cause instanceof Error ? cause.message : String(cause)).slice(0, 255)
  }
  const durationMs = Math.round(performance.now() - started)
  const ok = error === null
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
                    ELSE 'PENDING' END
    WHERE tnt_inst_id = ${row.tenantId} AND outbox_id = ${row.outboxId}
    RETURNING status`)
  const outcome = ok ? 'delivered' : recorded?.status === 'FAILED' ? 'failed' : 'retry'
  metrics.webhookAttempts.inc({ outcome })
  return { outcome, ...(error === null ? {} : { error }) }
}
