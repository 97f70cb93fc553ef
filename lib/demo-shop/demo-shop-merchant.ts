import 'server-only'
import { config } from '@/lib/config'
import { prisma } from '@/lib/db'
import { isDemoDatabase } from '@/lib/db/database-mark'
import { authenticateMerchant } from '@/lib/merchants/authenticate-merchant'
import type { MerchantActor } from '@/lib/merchants/merchant-actor'
import { dataKeyring } from '@/lib/sealing/keyring'
import { openDemoShopKey } from '@/lib/demo-shop/demo-shop-key'
import { openSigningSecret } from '@/lib/webhooks/signing-secret'

/**
 * The demo shop's merchant, signed in with its own API key through the same check
 * as every merchant call (authenticateMerchant), on the server only; null when the
 * database is not marked demo or demo:seed has not made the shop.
 */
export async function demoShopMerchant(): Promise<MerchantActor | null> {
  if (!(await isDemoDatabase())) return null
  const tenantId = config().FC_TENANT_ID
  const shop = await prisma.demoShop.findUnique({ where: { tenantId } })
  if (!shop) return null
  const secret = openDemoShopKey(dataKeyring(), { sealed: shop.sealedKeySecret, keyId: shop.dataKeyId }, tenantId, shop.merchantId)
  return authenticateMerchant(`Bearer ${shop.keyId}.${secret}`)
}

/** The signing secret the demo merchant's events are signed with, for the shop's receiver to verify them. */
export async function demoShopSigningSecret(merchantId: string): Promise<string | null> {
  const tenantId = config().FC_TENANT_ID
  const endpoint = await prisma.webhookEndpoint.findUnique({ where: { tenantId_merchantId: { tenantId, merchantId } } })
  if (!endpoint?.sealedSecret || !endpoint.secretKeyId) return null
  return openSigningSecret(dataKeyring(), { sealed: endpoint.sealedSecret, keyId: endpoint.secretKeyId }, { tenantId, merchantId })
}
