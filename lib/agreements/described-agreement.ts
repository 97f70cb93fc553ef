import type { AgreementRow } from '@/lib/db/statements/agreement-of-type'
import { DomainError, ResultCode } from '@/lib/errors'

/**
 * The arrangement and the product an agreement statement found, in the order of
 * checks: the arrangement (15), then the product (14).
 */
export function describedAgreement(row: AgreementRow) {
  if (row.arrangementNumber === null) throw new DomainError(ResultCode.ARRANGEMENT_NOT_FOUND)
  if (row.productCode === null) throw new DomainError(ResultCode.PRODUCT_NOT_FOUND)
  return {
    arrangement: {
      number: row.arrangementNumber,
      name: row.arrangementName ?? '',
      version: row.arrangementVersion ?? '',
      type: row.arrangementType ?? '',
      properties: row.arrangementProperties,
    },
    product: { code: row.productCode, name: row.productName ?? '', orgName: row.productOrgName ?? '', description: row.productDescription ?? '' },
  }
}
