import { z } from 'zod'
import { handedOutToken, pageSize, productCode, text } from '@/lib/validation/fields'
import { agreementTargetSchema } from '@/lib/validation/agreement'

// the merchant names an agreement as the user's doors name a deduction service
export const agreementQuerySchema = agreementTargetSchema

/** The reason is shown in the user's history, so it is one line of at most 255 characters. */
export const agreementCloseSchema = agreementTargetSchema.extend({ reason: text(255) })
export type AgreementClose = z.infer<typeof agreementCloseSchema>

export const MAX_CHANGES_PAGE_SIZE = 500
export const DEFAULT_CHANGES_PAGE_SIZE = 100

export const changesQuerySchema = z.object({
  productCode,
  cursor: handedOutToken('cursor'),
  pageSize: pageSize(MAX_CHANGES_PAGE_SIZE, DEFAULT_CHANGES_PAGE_SIZE),
})
