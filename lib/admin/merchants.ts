import { randomInt } from 'node:crypto'
import { z } from 'zod'
import type { PrismaClient } from '@/lib/generated/prisma/client'
import { config } from '@/lib/config'
import { AdminError, newOrConflict } from '@/lib/admin/errors'
import { adminRefusal, code, text } from '@/lib/admin/validation'
import { parseInput } from '@/lib/validation/parse'
import { hashKeySecret, KEY_ID, newKeyId, newKeySecret } from '@/lib/merchants/api-key'
import { MerchantStatus } from '@/lib/merchants/merchant-status'
import { endKeyAfterOverlap } from '@/lib/db/statements/end-key-overlap'

// Merchants and their API keys from the admin command line (docs/merchants.md).
// A key's secret is returned once, by the command that makes it, and only its
// SHA-256 is kept.

const merchantId = text(32).regex(/^M\d{16}$/, 'must be M and 16 digits (as merchant:add prints it)')
const keyId = text(32).regex(KEY_ID, 'must be a key id as merchant:key:create prints it (mk_…)')
/** Hours a rotated key (or signing secret) keeps working beside the new one: 0 to 30 days. */
export const overlapHours = z.coerce
  .number({ error: 'must be a number of hours' })
  .int('must be a whole number of hours')
  .min(0, 'must not be negative')
  .max(720, 'must be at most 720 (30 days)')
  .default(24)

/** 'M' and 16 random digits: merchant ids never look like user ids (U…), which share de_idempotency's key column. */
export function newMerchantId(): string {
  const digits = () => String(randomInt(100_000_000)).padStart(8, '0')
  return `M${digits()}${digits()}`
}

const addSchema = z.object({
  name: text(255),
  products: z.array(code(32)).min(1, 'name at least one product'),
})

/**
 * Adds a merchant holding the given products: each must exist in the tenant and
 * have no merchant yet (a product has one merchant; a merchant may hold several).
 */
export async function addMerchant(db: PrismaClient, input: z.input<typeof addSchema>) {
  const { name, products } = parseInput(addSchema, input, adminRefusal)
  const tenantId = config().FC_TENANT_ID
  const known = await db.product.findMany({ where: { tenantId, code: { in: products } }, select: { code: true } })
  const missing = products.filter((p) => !known.some((k) => k.code === p))
  if (missing.length > 0) throw new AdminError('not-found', `no product ${missing.join(', ')}`)
  const id = newMerchantId()
  await newOrConflict(
    () =>
      db.$transaction([
        db.merchant.create({ data: { tenantId, id, name, status: MerchantStatus.ACTIVE } }),
        db.merchantProduct.createMany({ data: products.map((productCode) => ({ tenantId, productCode, merchantId: id })) }),
      ]),
    `a product among ${products.join(', ')} already has a merchant`,
  )
  return { id, name, products }
}

async function requireMerchant(db: PrismaClient, id: string) {
  const merchant = await db.merchant.findUnique({ where: { tenantId_id: { tenantId: config().FC_TENANT_ID, id } } })
  if (!merchant) throw new AdminError('not-found', `no merchant ${id}`)
  return merchant
}

/** A new API key for the merchant: its id and its secret, which is shown now and never again. */
export async function createMerchantKey(db: PrismaClient, input: { merchantId: unknown }) {
  const { merchantId: id } = parseInput(z.object({ merchantId }), input, adminRefusal)
  await requireMerchant(db, id)
  const key = { keyId: newKeyId(), secret: newKeySecret() }
  await db.merchantCredential.create({ data: { tenantId: config().FC_TENANT_ID, keyId: key.keyId, merchantId: id, secretHash: hashKeySecret(key.secret) } })
  return { merchantId: id, ...key }
}

/**
 * Rotation: a new key for the same merchant, and the old one keeps working for
 * `overlapHours` more, so the merchant can switch without a moment of refusals.
 */
export async function rotateMerchantKey(db: PrismaClient, input: { keyId: unknown; overlapHours?: unknown }) {
  const parsed = parseInput(z.object({ keyId, overlapHours }), input, adminRefusal)
  const tenantId = config().FC_TENANT_ID
  const old = await db.merchantCredential.findUnique({ where: { tenantId_keyId: { tenantId, keyId: parsed.keyId } } })
  if (!old) throw new AdminError('not-found', `no key ${parsed.keyId}`)
  if (old.revokedAt || (old.expiresAt && old.expiresAt <= new Date())) throw new AdminError('conflict', `key ${parsed.keyId} no longer works; create a new one with merchant:key:create`)
  const key = { keyId: newKeyId(), secret: newKeySecret() }
  const [, expired] = await db.$transaction([
    db.merchantCredential.create({ data: { tenantId, keyId: key.keyId, merchantId: old.merchantId, secretHash: hashKeySecret(key.secret) } }),
    // a query, so that it joins the batch transaction (lib/db/statements/end-key-overlap.ts)
    db.$queryRawUnsafe<{ expiresAt: Date }[]>(endKeyAfterOverlap.text, ...endKeyAfterOverlap.values({ tenantId, keyId: parsed.keyId, overlapHours: parsed.overlapHours })),
  ])
  return { merchantId: old.merchantId, ...key, oldKeyId: parsed.keyId, oldExpiresAt: expired[0].expiresAt }
}

/** Ends a key at once. */
export async function revokeMerchantKey(db: PrismaClient, input: { keyId: unknown }) {
  const parsed = parseInput(z.object({ keyId }), input, adminRefusal)
  const tenantId = config().FC_TENANT_ID
  const key = await db.merchantCredential.findUnique({ where: { tenantId_keyId: { tenantId, keyId: parsed.keyId } } })
  if (!key) throw new AdminError('not-found', `no key ${parsed.keyId}`)
  if (key.revokedAt) return { keyId: key.keyId, merchantId: key.merchantId, alreadyRevoked: true }
  await db.merchantCredential.update({ where: { tenantId_keyId: { tenantId, keyId: parsed.keyId } }, data: { revokedAt: new Date() } })
  return { keyId: key.keyId, merchantId: key.merchantId, alreadyRevoked: false }
}

/** The tenant's merchants, their products and keys (ids and state only). */
export async function listMerchants(db: PrismaClient) {
  const tenantId = config().FC_TENANT_ID
  const [merchants, products, keys] = await Promise.all([
    db.merchant.findMany({ where: { tenantId }, orderBy: { id: 'asc' } }),
    db.merchantProduct.findMany({ where: { tenantId }, orderBy: { productCode: 'asc' } }),
    db.merchantCredential.findMany({ where: { tenantId }, orderBy: { createdAt: 'asc' } }),
  ])
  return merchants.map((m) => ({
    ...m,
    products: products.filter((p) => p.merchantId === m.id).map((p) => p.productCode),
    keys: keys.filter((k) => k.merchantId === m.id),
  }))
}

export { merchantId as merchantIdSchema }
