import { runStatement } from '@/lib/db'
import { DomainError, ResultCode } from '@/lib/errors'
import type { MerchantActor } from '@/lib/merchants/merchant-actor'
import { agreementForMerchant } from '@/lib/db/statements/agreement-for-merchant'
import { describedAgreement } from '@/lib/agreements/described-agreement'
import { ArrangementStatus } from '@/lib/statuses'
import { agreementQuerySchema } from '@/lib/validation/merchant'
import { parseInput } from '@/lib/validation/parse'

export type MerchantAgreement = {
  userId: string
  productCode: string
  productName: string
  arrangementNo: string
  arrangementName: string
  arrangementVersion: string
  open: boolean
  openedAt: Date | null
  /** de_ar.properties as stored (JSON), or '' */
  terms: string
  /** de_user_ar_rel.property_values as stored (JSON), or '' */
  propertyValues: string
}

/**
 * One user's agreement on one of the merchant's products. Checks: fields (10),
 * the product is the merchant's (04), an arrangement of the type (15), the
 * product (14); then the agreement, open or not: "not open" is an answer (00,
 * `open: false`), not a failure, since the merchant asks in order to find out.
 * An open agreement is described by its own arrangement; a closed one by the
 * arrangement in force (else the newest).
 */
export async function queryAgreement(actor: MerchantActor, input: unknown): Promise<MerchantAgreement> {
  const { arrangementType, productCode, userId } = parseInput(agreementQuerySchema, input)
  // one statement: the product's owner, then (for the owner only) the agreement as the detail reads it
  const [row] = await agreementForMerchant.run(runStatement, {
    tenantId: actor.tenantId,
    merchantId: actor.merchantId,
    arrangementType,
    userId,
    productCode,
    inForce: ArrangementStatus.IN_FORCE,
  })
  if (!row.owned) throw new DomainError(ResultCode.FORBIDDEN)
  const { arrangement, product } = describedAgreement(row)
  return {
    userId,
    productCode,
    productName: product.name,
    arrangementNo: arrangement.number,
    arrangementName: arrangement.name,
    arrangementVersion: arrangement.version,
    open: row.open,
    openedAt: row.openedAt,
    terms: arrangement.properties ?? '',
    propertyValues: row.propertyValues ?? '',
  }
}
