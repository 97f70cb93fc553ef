import { z } from 'zod'
import type { PrismaClient } from '@/lib/generated/prisma/client'
import { config } from '@/lib/config'
import { AdminError } from '@/lib/admin/errors'
import { merchantIdSchema } from '@/lib/admin/merchants'
import { adminRefusal } from '@/lib/admin/validation'
import { parseInput } from '@/lib/validation/parse'
import { statementsOn } from '@/lib/db/database-mark'
import { allowsLoopbackReturnOrigins } from '@/lib/signing/loopback-return-origins'
import { originOf, returnOriginProblem } from '@/lib/signing/return-origin'

// The origins a merchant's sign requests may send the browser back to, from the
// admin command line (docs/merchants.md#return-origins).

const originSchema = z.string({ error: 'is required' }).trim().min(1, 'is required').max(255, 'must be at most 255 characters')

async function requireMerchant(db: PrismaClient, merchantId: string) {
  const merchant = await db.merchant.findUnique({ where: { tenantId_id: { tenantId: config().FC_TENANT_ID, id: merchantId } } })
  if (!merchant) throw new AdminError('not-found', `no merchant ${merchantId}`)
}

/** Registers an origin (https, or http on loopback on a database marked demo); adding one already there changes nothing. */
export async function addReturnOrigin(db: PrismaClient, input: { merchantId: unknown; origin: unknown }) {
  const parsed = parseInput(z.object({ merchantId: merchantIdSchema, origin: originSchema }), input, adminRefusal)
  const problem = returnOriginProblem(parsed.origin, await allowsLoopbackReturnOrigins(statementsOn(db)))
  if (problem) throw new AdminError('invalid', `origin: ${problem}`)
  const origin = originOf(parsed.origin) as string
  await requireMerchant(db, parsed.merchantId)
  const tenantId = config().FC_TENANT_ID
  await db.merchantReturnOrigin.upsert({
    where: { tenantId_merchantId_origin: { tenantId, merchantId: parsed.merchantId, origin } },
    create: { tenantId, merchantId: parsed.merchantId, origin },
    update: {},
  })
  return { merchantId: parsed.merchantId, origin }
}

/** The merchant's return origins, in order. */
export async function listReturnOrigins(db: PrismaClient, input: { merchantId: unknown }) {
  const parsed = parseInput(z.object({ merchantId: merchantIdSchema }), input, adminRefusal)
  await requireMerchant(db, parsed.merchantId)
  const rows = await db.merchantReturnOrigin.findMany({ where: { tenantId: config().FC_TENANT_ID, merchantId: parsed.merchantId }, orderBy: { origin: 'asc' } })
  return rows.map((r) => r.origin)
}

/** Removes an origin; sign requests made before keep the returnUrl they were given. */
export async function removeReturnOrigin(db: PrismaClient, input: { merchantId: unknown; origin: unknown }) {
  const parsed = parseInput(z.object({ merchantId: merchantIdSchema, origin: originSchema }), input, adminRefusal)
  const origin = originOf(parsed.origin) ?? parsed.origin
  const { count } = await db.merchantReturnOrigin.deleteMany({ where: { tenantId: config().FC_TENANT_ID, merchantId: parsed.merchantId, origin } })
  if (count === 0) throw new AdminError('not-found', `merchant ${parsed.merchantId} has no return origin ${origin}`)
  return { merchantId: parsed.merchantId, origin }
}
