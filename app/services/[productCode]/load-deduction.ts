import 'server-only'
import type { WebSession } from '@/lib/auth/session-guard'
import { getDeduction } from '@/lib/services/get-deduction'
import { DEDUCTION } from '@/lib/services/arrangement-types'
import { DomainError, ResultCode } from '@/lib/errors'

/**
 * One service for the detail and close pages, or null when there is no such product
 * (or the code in the URL could not be one): those pages then answer 404.
 */
export async function loadDeduction(session: WebSession, productCode: string) {
  try {
    return await getDeduction(session.actor, { arrangementType: DEDUCTION, productCode })
  } catch (error) {
    if (
      error instanceof DomainError &&
      (error.code === ResultCode.PRODUCT_NOT_FOUND || error.code === ResultCode.INVALID_ARGUMENT)
    ) {
      return null
    }
    throw error
  }
}
