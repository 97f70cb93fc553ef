import { runStatement } from '@/lib/db'
import { DomainError, ResultCode } from '@/lib/errors'
import type { MerchantActor } from '@/lib/merchants/merchant-actor'
import { productMerchant } from '@/lib/db/statements/product-merchant'

/**
 * A merchant acts only on agreements of its own products: anything else, another
 * merchant's product or a code that names none, answers 04, so that a merchant
 * learns nothing of products that are not its own.
 */
export async function assertOwnsProduct(actor: MerchantActor, productCode: string): Promise<void> {
  const [owner] = await productMerchant.run(runStatement, { tenantId: actor.tenantId, productCode })
  if (owner?.merchantId !== actor.merchantId) throw new DomainError(ResultCode.FORBIDDEN)
}
