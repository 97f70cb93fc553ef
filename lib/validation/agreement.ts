import { z } from 'zod'
import { arrangementType, handedOutToken, pageSize, productCode, userId } from '@/lib/validation/fields'

export const agreementTargetSchema = z.object({ arrangementType, productCode, userId })
export type AgreementTarget = z.infer<typeof agreementTargetSchema>

export const MAX_PAGE_SIZE = 100
export const DEFAULT_PAGE_SIZE = 20

export const listQuerySchema = z.object({
  arrangementType,
  userId,
  pageSize: pageSize(MAX_PAGE_SIZE, DEFAULT_PAGE_SIZE),
  pageToken: handedOutToken('page token'),
})
export type ListQuery = z.infer<typeof listQuerySchema>
