import { z } from 'zod'
import type { PrismaClient, WebhookEndpoint } from '@/lib/generated/prisma/client'
import type { Keyring } from '@/lib/sealing/data-keys'
import { config, DEV_DATA_ENCRYPTION_KEY } from '@/lib/config'
import { AdminError } from '@/lib/admin/errors'
import { merchantIdSchema, overlapHours } from '@/lib/admin/merchants'
import { adminRefusal } from '@/lib/admin/validation'
import { parseInput } from '@/lib/validation/parse'
import { describeDatabase, readDatabaseMark, statementsOn } from '@/lib/db/database-mark'
import { dataKeyring } from '@/lib/sealing/keyring'
import { SealedValueError } from '@/lib/sealing/sealed-value'
import { endpointUrlProblem } from '@/lib/webhooks/endpoint-url'
import { resealSigningSecrets as resealEvery } from '@/lib/webhooks/reseal-signing-secrets'
import { newSigningSecret, openSigningSecret, sealSigningSecret } from '@/lib/webhooks/signing-secret'

// Webhook endpoints, their signing secrets and failed deliveries, from the admin
// command line (docs/merchants.md#notifications).

/**
 * The keys that seal secrets here. An admin shell without DATA_ENCRYPTION_KEY falls
 * back to the documented development key; on a database marked production that would
 * seal secrets the app cannot open, readable by anyone who knows the published key.
 */
async function sealingKeyring(db: PrismaClient): Promise<Keyring> {
  const developmentKey = config().dataEncryptionKeys.current.equals(Buffer.from(DEV_DATA_ENCRYPTION_KEY, 'hex'))
  if (developmentKey && (await readDatabaseMark(statementsOn(db))) === 'production') {
    throw new AdminError(
      'invalid',
      `DATA_ENCRYPTION_KEY is not set (the development key is in use) and ${describeDatabase()} is marked production: ` +
        'run the command with the app\'s DATA_ENCRYPTION_KEY (docs/operations.md#the-data-encryption-key)',
    )
  }
  return dataKeyring()
}

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
  const sealed = sealSigningSecret(await sealingKeyring(db), secret, { tenantId, merchantId: parsed.merchantId })
  await db.webhookEndpoint.create({ data: { tenantId, merchantId: parsed.merchantId, url: parsed.url, sealedSecret: sealed.sealed, secretKeyId: sealed.keyId } })
  return { merchantId: parsed.merchantId, url: parsed.url, secret }
}

/** A new signing secret; the previous one also signs for `overlapHours`, so the receiver can switch over. */
export async function rotateSigningSecret(db: PrismaClient, input: { merchantId: unknown; overlapHours?: unknown }) {
  const parsed = parseInput(z.object({ merchantId: merchantIdSchema, overlapHours }), input, adminRefusal)
  const tenantId = config().FC_TENANT_ID
  const where = { tenantId_merchantId: { tenantId, merchantId: parsed.merchantId } }
  const endpoint = await db.webhookEndpoint.findUnique({ where })
  if (!endpoint) throw new AdminError('not-found', `merchant ${parsed.merchantId} has no webhook endpoint`)
  const keyring = await sealingKeyring(db)
  const owner = { tenantId, merchantId: parsed.merchantId }
  // the outgoing secret is sealed anew under the current key, also when an earlier release stored it in clear
  const outgoing = secretInUse(keyring, endpoint)
  const previous = outgoing ? sealSigningSecret(keyring, outgoing, owner) : null
  const secret = newSigningSecret()
  const sealed = sealSigningSecret(keyring, secret, owner)
  const previousUntil = new Date(Date.now() + parsed.overlapHours * 3600_000)
  await db.webhookEndpoint.update({
    where,
    data: {
      sealedSecret: sealed.sealed,
      secretKeyId: sealed.keyId,
      sealedPreviousSecret: previous?.sealed ?? null,
      previousKeyId: previous?.keyId ?? null,
      plainSecret: null,
      plainPreviousSecret: null,
      previousUntil,
    },
  })
  return { merchantId: parsed.merchantId, secret, previousUntil }
}

/** The endpoint's secret in clear: sealed, or in the plain column of an earlier release. */
function secretInUse(keyring: Keyring, endpoint: WebhookEndpoint): string | null {
  const { sealedSecret: sealed, secretKeyId: keyId } = endpoint
  if (sealed === null || keyId === null) return endpoint.plainSecret
  try {
    return openSigningSecret(keyring, { sealed, keyId }, endpoint)
  } catch (error) {
    // a key that is not configured is the operator's to fix: said, not a crash
    if (error instanceof SealedValueError) throw new AdminError('conflict', `the signing secret is ${error.message}`)
    throw error
  }
}

/**
 * Seals every webhook signing secret under the current data encryption key: after
 * a rotation of that key (docs/operations.md#the-data-encryption-key), and for any
 * still in clear from an earlier release.
 */
export async function resealSigningSecrets(db: PrismaClient): Promise<{ resealed: number }> {
  const keyring = await sealingKeyring(db)
  try {
    return await resealEvery(db, keyring)
  } catch (error) {
    if (error instanceof SealedValueError) throw new AdminError('conflict', `a signing secret is ${error.message}; configure that key as a previous key, then run this again`)
    throw error
  }
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
