import { Webhook } from 'standardwebhooks'
import { prisma } from '@/lib/db'
import { rowsOn } from '@/lib/db/on-prisma'
import { outboxDue, type OutboxDueRow } from '@/lib/db/statements/outbox-due'
import { recordDeliveryAttempt } from '@/lib/db/statements/record-delivery-attempt'
import { config } from '@/lib/config'
import { metrics } from '@/lib/observability/metrics'
import { eventPayload, webhookId, type EventRow } from '@/lib/webhooks/event-payload'
import type { DeliveryJob } from '@/lib/webhooks/outbox-relay'
import { safePost } from '@/lib/webhooks/safe-post'
import { isDemoShopDelivery } from '@/lib/demo-shop/demo-shop-delivery'
import { dataKeyring } from '@/lib/sealing/keyring'
import { openSigningSecret } from '@/lib/webhooks/signing-secret'

type Due = OutboxDueRow & Pick<EventRow, 'signRequest'>

/** What became of one delivery job: sent, to be retried (the job fails, pg-boss retries it), given up on, or nothing to send. */
export type Outcome = 'delivered' | 'retry' | 'failed' | 'skipped'

/**
 * One delivery job (docs/merchants.md#notifications): the outbox row's event, sent
 * to the merchant's endpoint and the attempt recorded. A row that is no longer
 * PENDING (delivered by an earlier copy of the job, or removed) is skipped: a job
 * can run twice when a process dies between the send and its record.
 */
export async function deliverOutboxEvent(job: DeliveryJob): Promise<{ outcome: Outcome; error?: string }> {
  const [found] = await outboxDue.run(rowsOn(prisma), { tenantId: job.tenantId, outboxId: BigInt(job.outboxId) })
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
  const [recorded] = await recordDeliveryAttempt.run(rowsOn(prisma), {
    tenantId: row.tenantId,
    outboxId: row.outboxId,
    httpStatus,
    error,
    durationMs,
    ok,
    retryWindowSeconds: c.WEBHOOK_RETRY_WINDOW_SECONDS,
  })
  const outcome = ok ? 'delivered' : recorded?.status === 'FAILED' ? 'failed' : 'retry'
  metrics.webhookAttempts.inc({ outcome })
  return { outcome, ...(error === null ? {} : { error }) }
}
