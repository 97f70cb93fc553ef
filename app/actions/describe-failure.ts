import 'server-only'
import { getTranslations } from 'next-intl/server'
import { DomainError, ResultCode } from '@/lib/errors'
import { isDatabaseUnavailable } from '@/lib/db/unavailable'
import type { FormState } from '@/lib/forms/form-state'

/** Turns a domain failure into form state with the code's message; anything unexpected is rethrown. */
export async function describeFailure(error: unknown): Promise<FormState> {
  const t = await getTranslations('codes')
  if (error instanceof DomainError) {
    const { field = '', reason = '', retryAfterSeconds = 0 } = error.detail ?? {}
    // the browser shows one message for unknown user and wrong password
    const code = error.code === ResultCode.USER_NOT_FOUND ? ResultCode.WRONG_CREDENTIALS : error.code
    return {
      ok: false,
      code,
      message: t(code, { field, reason, seconds: retryAfterSeconds }),
      fieldErrors: field ? { [field]: reason } : undefined,
    }
  }
  if (isDatabaseUnavailable(error)) return { ok: false, code: ResultCode.UNAVAILABLE, message: t(ResultCode.UNAVAILABLE) }
  throw error
}
