// The API's procedures as paths (`<package>.<Service>/<Method>`), read from the
// services generated from the published protos, so tests cannot drift from them.
import type { DescMethod } from '@bufbuild/protobuf'
import { Company } from '../../lib/gen/deduction_pb'
import { User } from '../../lib/gen/user_pb'

const path = (method: DescMethod) => `${method.parent.typeName}/${method.name}`

export const LOGIN = path(User.method.login)
export const REFRESH = path(User.method.refresh)
export const LOGOUT = path(User.method.logout)
export const SESSIONS = path(User.method.querySessions)
export const CREATE = path(Company.method.createDeductionService)
export const CLOSE = path(Company.method.closeDeductionService)
export const LIST = path(Company.method.queryDeductionListByUserIdAndArType)
export const MODIFY = path(Company.method.modifyDeductionService)
export const CATALOGUE = path(Company.method.queryProductCatalogue)
export const DETAIL = path(Company.method.queryDeductionDetail)

export type CallAnswer = {
  http: number
  /** the answer's JSON; empty when it had none (a protocol error such as 415 or 405) */
  json: Record<string, unknown> & { code?: string }
  text: string
  /** how long the call took */
  ms: number
  requestId: string | null
  headers: Headers
}

/**
 * A Connect unary JSON call to the server at `base`, as curl would make it: `body` is sent as
 * JSON, or as it is when it is already text or bytes (for malformed requests). The one RPC
 * helper of the Node suites; e2e/fixtures.ts has its Playwright twin.
 */
export async function call(
  base: string,
  method: string,
  body: unknown,
  headers: Record<string, string> = {},
  options: { timeoutMs?: number } = {},
): Promise<CallAnswer> {
  const started = performance.now()
  const res = await fetch(`${base}/api/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' || body instanceof Uint8Array ? (body as BodyInit) : JSON.stringify(body),
    signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
  })
  const text = await res.text()
  let json: CallAnswer['json'] = {}
  try {
    json = JSON.parse(text) as CallAnswer['json']
  } catch {
    // protocol errors need not have a JSON body
  }
  return { http: res.status, json, text, ms: performance.now() - started, requestId: res.headers.get('x-request-id'), headers: res.headers }
}
