import { z } from 'zod'
import { arrangementType, productCode, text, userId } from '@/lib/validation/fields'

export const agreementQuerySchema = z.object({ arrangementType, productCode, userId })

/** The reason is shown in the user's history, so it is one line of at most 255 characters. */
export const agreementCloseSchema = z.object({ arrangementType, productCode, userId, reason: text(255) })
export type AgreementClose = z.infer<typeof agreementCloseSchema>

export const MAX_CHANGES_PAGE_SIZE = 500
export const DEFAULT_CHANGES_PAGE_SIZE = 100

export const changesQuerySchema = z.object({
  productCode,
  cursor: z
    .string({ error: 'must be a string' })
    .max(200, 'is not a cursor from this service')
    .optional()
    .transform((s) => s || undefined),
  // proto3 sends 0 for "not set"
  pageSize: z
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(0, 'must not be negative')
    .max(MAX_CHANGES_PAGE_SIZE, `must be at most ${MAX_CHANGES_PAGE_SIZE}`)
    .optional()
    .transform((n) => (n ? n : DEFAULT_CHANGES_PAGE_SIZE)),
})
