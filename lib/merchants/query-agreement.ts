import { runStatement } from '@/lib/db'
import { DomainError, ResultCode } from '@/lib/errors'
import type { MerchantActor } from '@/lib/merchants/merchant-actor'
import { assertOwnsProduct } from '@/lib/merchants/merchant-products'
import {
  ARRANGEMENTS_BY_VERSION,
  PRODUCT_BY_CODE,
  RELATION_OF_TYPE,
  type ArrangementRow,
  type ProductRow,
  type RelationRow,
} from '@/lib/services/catalogue-statements'
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
  await assertOwnsProduct(actor, productCode)
  const tenantId = actor.tenantId
  const [arrangements, [product], [relation]] = await Promise.all([
    runStatement<ArrangementRow>(ARRANGEMENTS_BY_VERSION, [tenantId, arrangementType]),
    runStatement<ProductRow>(PRODUCT_BY_CODE, [tenantId, productCode]),
    runStatement<RelationRow>(RELATION_OF_TYPE, [tenantId, arrangementType, userId, productCode]),
  ])
  if (arrangements.length === 0) throw new DomainError(ResultCode.ARRANGEMENT_NOT_FOUND)
  if (!product) throw new DomainError(ResultCode.PRODUCT_NOT_FOUND)
  const arrangement =
    arrangements.find((a) => a.number === relation?.arrangementNo) ??
    arrangements.find((a) => a.status === ArrangementStatus.IN_FORCE) ??
    arrangements[0]
  return {
    userId,
    productCode,
    productName: product.name,
    arrangementNo: arrangement.number,
    arrangementName: arrangement.name,
    arrangementVersion: arrangement.version,
    open: relation !== undefined,
    openedAt: relation?.createdAt ?? null,
    terms: arrangement.properties ?? '',
    propertyValues: relation?.propertyValues ?? '',
  }
}
