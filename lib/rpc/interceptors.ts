import { Code, type Interceptor } from '@connectrpc/connect'
import { ResultCode, statusOf } from '@/lib/errors'
import { access, logger } from '@/lib/observability/logger'
import { metrics } from '@/lib/observability/metrics'
import { currentRequestId, requestContext } from '@/lib/observability/request-id'
import { unanswered } from '@/lib/rpc/unanswered'

type Fields = { status?: unknown; code?: unknown; userId?: unknown; loginKey?: unknown }

const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined)

/**
 * Times every call and writes one log line for it (request id, call, code,
 * latency, the user — masked as every access line is, lib/observability/logger.ts), plus an error line
 * for every FAILED/UNKNOWN outcome, and records the RPC metrics.
 * Errors other than ConnectError leave as `internal` carrying only the request id.
 */
export const observe: Interceptor = (next) => async (req) => {
  const started = performance.now()
  const call = `${req.service.typeName}/${req.method.name}`
  const requestId = currentRequestId() ?? req.header.get('x-request-id') ?? undefined
  const input: Fields = req.stream ? {} : (req.message as Fields)
  const finish = (code: string, status: string, output: Fields, cause?: unknown) => {
    const latencyMs = Math.round((performance.now() - started) * 10) / 10
    metrics.rpcDuration.observe({ call, code }, latencyMs / 1000)
    metrics.rpcTotal.inc({ call, code })
    if (code === ResultCode.UNAVAILABLE) metrics.dbErrors.inc({ source: 'rpc' })
    const store = requestContext.getStore()
    if (store) store.logged = true
    const line = {
      requestId,
      call,
      code,
      status,
      latencyMs,
      userId: text(output.userId) ?? text(input.userId),
      loginKey: text(input.loginKey),
    }
    access('info', line, 'rpc')
    if (status !== 'SUCCESS') logger.error(cause ? { ...line, err: cause } : line, `rpc ${status.toLowerCase()}`)
  }
  try {
    const res = await next(req)
    const output: Fields = res.stream ? {} : (res.message as Fields)
    const code = text(output.code) ?? ResultCode.OK
    finish(code, text(output.status) ?? statusOf(code as ResultCode), output)
    return res
  } catch (thrown) {
    const error = unanswered(thrown, requestId ?? 'unknown')
    // code 99 (the business codes' own) for an unavailable dependency; Connect's own name otherwise
    const code = error.code === Code.Unavailable ? ResultCode.UNAVAILABLE : Code[error.code].replace(/[A-Z]/g, (c, i: number) => (i ? '_' : '') + c.toLowerCase())
    finish(code, 'UNKNOWN', {}, error.cause ?? error)
    throw error
  }
}
