import { z } from 'zod'
import { productCode, text } from '@/lib/validation/fields'

export const DEFAULT_SIGN_EXPIRY_SECONDS = 900
export const MIN_SIGN_EXPIRY_SECONDS = 60
export const MAX_SIGN_EXPIRY_SECONDS = 3600

/** The term values are checked apart (lib/validation/term-values.ts), as for CreateDeductionService. */
export const signRequestCreateSchema = z.object({
  productCode,
  // the merchant's own id for the request: printable ASCII, as it goes into logs and URLs
  merchantReference: text(64).regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces'),
  returnUrl: text(2048),
  // proto3 sends 0 for "not set"
  expiresInSeconds: z
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .optional()
    .transform((n) => (n ? n : DEFAULT_SIGN_EXPIRY_SECONDS))
    .refine(
      (n) => n >= MIN_SIGN_EXPIRY_SECONDS && n <= MAX_SIGN_EXPIRY_SECONDS,
      `must be from ${MIN_SIGN_EXPIRY_SECONDS} to ${MAX_SIGN_EXPIRY_SECONDS} seconds`,
    ),
})
export type SignRequestCreate = z.infer<typeof signRequestCreateSchema>

export const signRequestRefSchema = z.object({
  signRequestId: text(32).regex(/^sr_[0-9a-f]{24}$/, 'is not a sign request id from this service'),
})
