import { test as base, expect, type APIRequestContext, type BrowserContext } from '@playwright/test'
import { LOGIN } from '../tests/support/rpc'
import { pointAtE2eDatabase } from './e2e-database'
import { createUser, createWebSession, type TestUser } from '../tests/support/db-utils'

// this worker's data makers write into the e2e server's database, with its secret
pointAtE2eDatabase()

export { createUser, createMerchant, expireSignRequestNow, openAgreement, TEST_PASSWORD, type TestUser } from '../tests/support/db-utils'
export { E2E_MERCHANT, e2eMerchantAuthorization } from '../tests/support/e2e-merchant'
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

/**
 * Signs a browser context in without the form: a session started as a login starts
 * one (ending the user's previous session) and its cookie written into the context.
 */
export async function signInContext(context: BrowserContext, baseURL: string, user: TestUser, device?: string): Promise<{ sessionId: string }> {
  const session = await createWebSession(user, device)
  const { hostname, protocol } = new URL(baseURL)
  await context.addCookies([
    { ...session.cookie, domain: hostname, path: '/', httpOnly: true, sameSite: 'Lax', secure: protocol === 'https:' },
  ])
  return { sessionId: session.sessionId }
}

type Fixtures = {
  /**
   * Makes a fresh user (or takes the one given), signs the test's page in as that
   * user by writing the session and its cookie directly, and returns the user. Only
   * the login specs sign in through the form (e2e/browser.ts).
   */
  login: (options?: { user?: TestUser; label?: string }) => Promise<TestUser>
}

export const test = base.extend<Fixtures>({
  // Playwright's "use" callback, named so that the React hooks lint rule does not mistake it for a hook
  login: async ({ page, baseURL }, provide) => {
    await provide(async (options = {}) => {
      const user = options.user ?? (await createUser({ label: options.label }))
      await signInContext(page.context(), baseURL!, user)
      return user
    })
  },
})
export { expect }
