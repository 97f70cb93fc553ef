import { z } from 'zod'
import { arrangementType, productCode, userId } from '@/lib/validation/fields'

export const deductionTargetSchema = z.object({ arrangementType, productCode, userId })
export type DeductionTarget = z.infer<typeof deductionTargetSchema>

export const MAX_PAGE_SIZE = 100
export const DEFAULT_PAGE_SIZE = 20

export const listQuerySchema = z.object({
  arrangementType,
  userId,
  // proto3 sends 0 for "not set"
  pageSize: z
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(0, 'must not be negative')
    .max(MAX_PAGE_SIZE, `must be at most ${MAX_PAGE_SIZE}`)
    .optional()
    .transform((n) => (n ? n : DEFAULT_PAGE_SIZE)),
  pageToken: z
    .string({ error: 'must be a string' })
    .max(200, 'is not a page token from this service')
    .optional()
    .transform((s) => s || undefined),
})
export type ListQuery = z.infer<typeof listQuerySchema>
