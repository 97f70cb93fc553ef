import { test as base, expect, type APIRequestContext } from '@playwright/test'
import { LOGIN } from '../tests/support/rpc'
import { loginInBrowser } from './browser'

export { E2E_PASSWORD, e2eUser } from '../tests/support/e2e-accounts'
export const demoUser = { email: 'alice@example.com' }

export type RpcAnswer = { status: string; code: string; desc: string; [field: string]: unknown }

/** A Connect unary JSON call through the app's own server, as curl would make it. */
export async function rpc(
  request: APIRequestContext,
  method: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ http: number; json: RpcAnswer; headers: Record<string, string> }> {
  const response = await request.post(`/api/${method}`, {
    data: typeof body === 'string' ? body : JSON.stringify(body),
    headers: { 'content-type': 'application/json', ...headers },
  })
  return { http: response.status(), json: (await response.json()) as RpcAnswer, headers: response.headers() }
}

export async function apiLogin(request: APIRequestContext, user: { email: string; password: string }) {
  const { json } = await rpc(request, LOGIN, { loginKey: user.email, loginValue: user.password })
  expect(json.code, json.desc).toBe('00')
  return json as RpcAnswer & { token: string; refreshToken: string; expireTime: string; userId: string }
}

type Fixtures = {
  /** Signs the page in through the login form as one of the e2e accounts, and waits for the landing page. */
  login: (user: { email: string; password: string }, landing?: RegExp) => Promise<void>
}

export const test = base.extend<Fixtures>({
  // Playwright's "use" callback, named so that the React hooks lint rule does not mistake it for a hook
  login: async ({ page }, provide) => {
    await provide((user, landing) => loginInBrowser(page, user, landing))
  },
})
export { expect }
