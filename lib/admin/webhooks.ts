import { z } from 'zod'
import type { PrismaClient } from '@/lib/generated/prisma/client'
import { config } from '@/lib/config'
import { AdminError } from '@/lib/admin/errors'
import { merchantIdSchema, overlapHours } from '@/lib/admin/merchants'
import { parseInput } from '@/lib/admin/validation'
import { endpointUrlProblem } from '@/lib/webhooks/endpoint-url'
import { newSigningSecret } from '@/lib/webhooks/signing-secret'

// Webhook endpoints, their signing secrets and failed deliveries, from the admin
// command line (docs/merchants.md#notifications).

const endpointPolicy = () => ({ production: config().NODE_ENV === 'production', allowPrivate: config().WEBHOOK_ALLOW_PRIVATE })

/**
 * Sets the merchant's endpoint URL. The first time it also makes the signing
 * secret, returned once; a later call changes the URL and keeps the secret.
 */
export async function setWebhookEndpoint(db: PrismaClient, input: { merchantId: unknown; url: unknown }) {
  const parsed = parseInput(z.object({ merchantId: merchantIdSchema, url: z.string({ error: 'is required' }).trim().min(1, 'is required') }), input)
  const problem = endpointUrlProblem(parsed.url, endpointPolicy())
  if (problem) throw new AdminError('invalid', `url: ${problem}`)
  const tenantId = config().FC_TENANT_ID
  const merchant = await db.merchant.findUnique({ where: { tenantId_id: { tenantId, id: parsed.merchantId } } })
  if (!merchant) throw new AdminError('not-found', `no merchant ${parsed.merchantId}`)
  const where = { tenantId_merchantId: { tenantId, merchantId: parsed.merchantId } }
  const existing = await db.webhookEndpoint.findUnique({ where })
  if (existing) {
    await db.webhookEndpoint.update({ where, data: { url: parsed.url } })
    return { merchantId: parsed.merchantId, url: parsed.url, secret: undefined }
  }
  const secret = newSigningSecret()
  await db.webhookEndpoint.create({ data: { tenantId, merchantId: parsed.merchantId, url: parsed.url, secret } })
  return { merchantId: parsed.merchantId, url: parsed.url, secret }
}

/** A new signing secret; the previous one also signs for `overlapHours`, so the receiver can switch over. */
export async function rotateSigningSecret(db: PrismaClient, input: { merchantId: unknown; overlapHours?: unknown }) {
  const parsed = parseInput(z.object({ merchantId: merchantIdSchema, overlapHours }), input)
  const tenantId = config().FC_TENANT_ID
  const where = { tenantId_merchantId: { tenantId, merchantId: parsed.merchantId } }
  const endpoint = await db.webhookEndpoint.findUnique({ where })
  if (!endpoint) throw new AdminError('not-found', `merchant ${parsed.merchantId} has no webhook endpoint`)
  const secret = newSigningSecret()
  const previousUntil = new Date(Date.now() + parsed.overlapHours * 3600_000)
  await db.webhookEndpoint.update({ where, data: { secret, previousSecret: endpoint.secret, previousUntil } })
  return { merchantId: parsed.merchantId, secret, previousUntil }
}

/** Deliveries given up on, oldest first, with their last error. */
export async function listFailedDeliveries(db: PrismaClient, input: { merchantId?: unknown } = {}) {
  const parsed = parseInput(z.object({ merchantId: merchantIdSchema.optional() }), input)
  return db.webhookOutbox.findMany({
    where: { tenantId: config().FC_TENANT_ID, status: 'FAILED', ...(parsed.merchantId ? { merchantId: parsed.merchantId } : {}) },
    orderBy: { id: 'asc' },
    take: 1000,
  })
}

/**
 * Sends failed deliveries again: back to PENDING and to the relay, which queues
 * them again (lib/webhooks/outbox-relay.ts), with a new retry window. The
 * webhook-id stays the event's, so a receiver that had it already recognises the
 * duplicate. One id, or every failed one (of a merchant).
 */
export async function redeliver(db: PrismaClient, input: { id?: unknown; merchantId?: unknown; allFailed?: boolean }) {
  const parsed = parseInput(
    z.object({ id: z.coerce.bigint({ error: 'must be an outbox id' }).positive('must be an outbox id').optional(), merchantId: merchantIdSchema.optional(), allFailed: z.boolean().optional() }),
    input,
  )
  if ((parsed.id === undefined) === !parsed.allFailed) throw new AdminError('invalid', 'give either an id or --all-failed')
  const c = config()
  const retryUntil = new Date(Date.now() + c.WEBHOOK_RETRY_WINDOW_SECONDS * 1000)
  const where = {
    tenantId: c.FC_TENANT_ID,
    status: 'FAILED',
    ...(parsed.id !== undefined ? { id: parsed.id } : {}),
    ...(parsed.merchantId ? { merchantId: parsed.merchantId } : {}),
  }
  const { count } = await db.webhookOutbox.updateMany({ where, data: { status: 'PENDING', queuedAt: null, jobId: null, retryUntil, attempts: 0 } })
  if (parsed.id !== undefined && count === 0) throw new AdminError('not-found', `no failed delivery ${parsed.id}`)
  return { count }
}
