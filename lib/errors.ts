// The result codes (docs/product.md#result-codes): one table, one error class, one serializer.
// Every business answer carries status, code and desc; desc comes from the
// message catalogue (messages/*.json, key `codes.<code>`) in the caller's language.

export const ResultCode = {
  OK: '00',
  USER_NOT_FOUND: '01',
  WRONG_CREDENTIALS: '02',
  NOT_LOGGED_IN: '03',
  FORBIDDEN: '04',
  TOO_MANY_ATTEMPTS: '05',
  INVALID_ARGUMENT: '10',
  PRODUCT_NOT_FOUND: '14',
  ARRANGEMENT_NOT_FOUND: '15',
  ALREADY_OPEN: '16',
  NOT_OPEN: '17',
  SIGN_REQUEST_NOT_FOUND: '18',
  SIGN_REQUEST_FINISHED: '19',
  UNAVAILABLE: '99',
} as const

export type ResultCode = (typeof ResultCode)[keyof typeof ResultCode]
export type ResultStatus = 'SUCCESS' | 'FAILED' | 'UNKNOWN'

export function statusOf(code: ResultCode): ResultStatus {
  if (code === ResultCode.OK) return 'SUCCESS'
  if (code === ResultCode.UNAVAILABLE) return 'UNKNOWN'
  return 'FAILED'
}

/** A business failure with its result code; `detail` names the field and why (code 10) or the retry time (05). */
export class DomainError extends Error {
  override name = 'DomainError'
  constructor(
    readonly code: Exclude<ResultCode, '00'>,
    readonly detail?: { field?: string; reason?: string; retryAfterSeconds?: number },
  ) {
    super(`result code ${code}${detail?.field ? ` (${detail.field}: ${detail.reason})` : ''}`)
  }
}

export const invalidArgument = (field: string, reason: string) =>
  new DomainError(ResultCode.INVALID_ARGUMENT, { field, reason })
