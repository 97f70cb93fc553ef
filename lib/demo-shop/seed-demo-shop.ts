import type { PrismaClient } from '@/lib/generated/prisma/client'
import { config } from '@/lib/config'
import { requireDemoDatabase, statementsOn } from '@/lib/db/database-mark'
import { createMerchantKey, newMerchantId } from '@/lib/admin/merchants'
import { sealSigningSecret, newSigningSecret } from '@/lib/webhooks/signing-secret'
import { dataKeyring } from '@/lib/sealing/keyring'
import { MerchantStatus } from '@/lib/merchants/merchant-status'
import { demoShopReceiverUrl } from '@/lib/demo-shop/demo-shop-address'
import { sealDemoShopKey } from '@/lib/demo-shop/demo-shop-key'

/** The bike-sharing product the demo shop offers: the seed's Mobike one. */
export const DEMO_SHOP_PRODUCT = '00000001'
const DEMO_SHOP_NAME = '摩拜单车'

export type DemoShopSeed = { merchantId: string; outcome: 'created' | 'existing' | 'product-taken' }

/**
 * The demo shop's merchant (docs/merchants.md#the-demo-shop), on a database marked
 * demo only: the merchant holding the Mobike product, an API key whose secret is
 * kept sealed for the shop's server side, the app's own origin as its return origin,
 * and the shop's receiver in this app as its webhook endpoint. A second run changes
 * nothing; a product that another merchant already holds is left to it.
 */
export async function seedDemoShop(db: PrismaClient): Promise<DemoShopSeed> {
  await requireDemoDatabase('Creating the demo shop (its merchant key and a loopback webhook endpoint)', statementsOn(db))
  const tenantId = config().FC_TENANT_ID
  const existing = await db.demoShop.findUnique({ where: { tenantId } })
  if (existing) return { merchantId: existing.merchantId, outcome: 'existing' }
  const holder = await db.merchantProduct.findUnique({ where: { tenantId_productCode: { tenantId, productCode: DEMO_SHOP_PRODUCT } } })
  if (holder) return { merchantId: holder.merchantId, outcome: 'product-taken' }

  const merchantId = newMerchantId()
  const returnOrigin = new URL(config().publicUrl).origin
  const signingSecret = sealSigningSecret(dataKeyring(), newSigningSecret(), { tenantId, merchantId })
  // written here rather than through merchant:return-origin:add and webhook:set: the receiver is
  // this app on a loopback address, which the admin commands refuse outside development; it is
  // delivered to only on a demo database (lib/demo-shop/demo-shop-delivery.ts)
  await db.$transaction([
    db.merchant.create({ data: { tenantId, id: merchantId, name: DEMO_SHOP_NAME, status: MerchantStatus.ACTIVE } }),
    db.merchantProduct.create({ data: { tenantId, productCode: DEMO_SHOP_PRODUCT, merchantId } }),
    db.merchantReturnOrigin.create({ data: { tenantId, merchantId, origin: returnOrigin } }),
    db.webhookEndpoint.create({ data: { tenantId, merchantId, url: demoShopReceiverUrl(), sealedSecret: signingSecret.sealed, secretKeyId: signingSecret.keyId } }),
  ])
  const key = await createMerchantKey(db, { merchantId })
  const sealed = sealDemoShopKey(dataKeyring(), key.secret, tenantId, merchantId)
  await db.demoShop.create({ data: { tenantId, merchantId, keyId: key.keyId, sealedKeySecret: sealed.sealed, dataKeyId: sealed.keyId } })
  return { merchantId, outcome: 'created' }
}
