import 'server-only'
import type { WebSession } from '@/lib/auth/session-guard'
import { getAgreement } from '@/lib/agreements/get-agreement'
import { DEDUCTION } from '@/lib/agreements/arrangement-types'
import { DomainError, ResultCode } from '@/lib/errors'

/**
 * One agreement for the detail and close pages; null when there is no such product or
 * arrangement type (or the URL's could not be one): those pages then answer 404;
 * 'no-arrangement' when the deduction arrangement itself is missing (15): they say so.
 */
export async function loadAgreement(session: WebSession, productCode: string, arrangementType: string = DEDUCTION) {
  try {
    return await getAgreement(session.actor, { arrangementType, productCode })
  } catch (error) {
    if (error instanceof DomainError && error.code === ResultCode.ARRANGEMENT_NOT_FOUND && arrangementType === DEDUCTION) return 'no-arrangement'
    if (
      error instanceof DomainError &&
      (error.code === ResultCode.PRODUCT_NOT_FOUND ||
        error.code === ResultCode.INVALID_ARGUMENT ||
        // a type named in the URL that has no arrangement
        error.code === ResultCode.ARRANGEMENT_NOT_FOUND)
    ) {
      return null
    }
    throw error
  }
}

/** The arrangement type an agreement's page is about: `?type=` when given, else the deduction arrangement. */
export function arrangementTypeParam(searchParams: Record<string, string | string[] | undefined>): string {
  const type = searchParams.type
  return typeof type === 'string' && type ? type : DEDUCTION
}
