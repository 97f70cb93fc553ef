// The Playwright suite's merchant: product 00000002's organisation with a fixed
// test key (tests/support/e2e-merchant.ts), so that specs can call the merchant API, and
// the e2e server's own origin as the return origin of its sign requests.
// Written by scripts/e2e-server.ts after the seed; writing it twice changes nothing.
import { prisma } from '@/lib/db'
import { config } from '@/lib/config'
import { hashKeySecret } from '@/lib/merchants/api-key'
import { E2E_MERCHANT as m } from '../tests/support/e2e-merchant'

export async function seedE2eMerchant(): Promise<void> {
  const tenantId = config().FC_TENANT_ID
  await prisma.merchant.upsert({ where: { tenantId_id: { tenantId, id: m.id } }, create: { tenantId, id: m.id, name: m.name }, update: {} })
  await prisma.merchantProduct.upsert({
    where: { tenantId_productCode: { tenantId, productCode: m.productCode } },
    create: { tenantId, productCode: m.productCode, merchantId: m.id },
    update: {},
  })
  await prisma.merchantCredential.upsert({
    where: { tenantId_keyId: { tenantId, keyId: m.keyId } },
    create: { tenantId, keyId: m.keyId, merchantId: m.id, secretHash: hashKeySecret(m.secret) },
    update: {},
  })
  // the e2e run's own address as a return origin (an http loopback one: the e2e server runs as a demo),
  // so the sign page's return can be followed in the browser
  const returnOrigin = new URL(config().publicUrl).origin
  await prisma.merchantReturnOrigin.upsert({
    where: { tenantId_merchantId_origin: { tenantId, merchantId: m.id, origin: returnOrigin } },
    create: { tenantId, merchantId: m.id, origin: returnOrigin },
    update: {},
  })
}
