import type { Keyring } from '@/lib/sealing/data-keys'
import { openValue, sealValue, type Sealed } from '@/lib/sealing/sealed-value'

// The demo shop's merchant key secret, sealed with the data encryption key like a
// webhook signing secret; the context names the row, so a copy elsewhere does not open.
const context = (tenantId: string, merchantId: string) => `de_demo_shop key secret ${tenantId} ${merchantId}`

export const sealDemoShopKey = (keyring: Keyring, secret: string, tenantId: string, merchantId: string): Sealed =>
  sealValue(keyring, secret, context(tenantId, merchantId))

export const openDemoShopKey = (keyring: Keyring, sealed: Sealed, tenantId: string, merchantId: string): string =>
  openValue(keyring, sealed, context(tenantId, merchantId))
