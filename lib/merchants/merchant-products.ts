import { prisma } from '@/lib/db'
import { DomainError, ResultCode } from '@/lib/errors'
import type { MerchantActor } from '@/lib/merchants/merchant-actor'

/**
 * A merchant acts only on agreements of its own products: anything else, another
 * merchant's product or a code that names none, answers 04, so that a merchant
 * learns nothing of products that are not its own.
 */
export async function assertOwnsProduct(actor: MerchantActor, productCode: string): Promise<void> {
  const owner = await prisma.merchantProduct.findUnique({
    where: { tenantId_productCode: { tenantId: actor.tenantId, productCode } },
    select: { merchantId: true },
  })
  if (owner?.merchantId !== actor.merchantId) throw new DomainError(ResultCode.FORBIDDEN)
}
