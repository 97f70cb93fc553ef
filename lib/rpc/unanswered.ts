import { Code, ConnectError } from '@connectrpc/connect'
import { isDatabaseUnavailable } from '@/lib/db/unavailable'
import { ResultCode } from '@/lib/errors'

/**
 * A failure the API did not answer as a business code, as the caller sees it: an
 * unreachable database is `unavailable` (503, code 99, safe to retry), anything else
 * `internal`; the message carries only the request id, the cause rides along for the
 * log line, never to the caller. A ConnectError is the caller's fault and stays as it is.
 */
export function unanswered(error: unknown, requestId: string, unavailableText = 'service unavailable'): ConnectError {
  if (error instanceof ConnectError) return error
  if (isDatabaseUnavailable(error)) {
    return new ConnectError(`${ResultCode.UNAVAILABLE}: ${unavailableText} (request id ${requestId})`, Code.Unavailable, undefined, undefined, error)
  }
  return new ConnectError(`internal error (request id ${requestId})`, Code.Internal, undefined, undefined, error)
}
