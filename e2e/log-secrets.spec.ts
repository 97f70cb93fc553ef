import fs from 'node:fs'
import { test, expect, rpc, apiLogin, createUser } from './fixtures'
import { catalogueCard, loginInBrowser } from './browser'
import { LOGIN, REFRESH, LOGOUT, CREATE } from '../tests/support/rpc'

const LOG_FILE = process.env.E2E_LOG_FILE ?? 'test-results/e2e-server.log'

/** Waits until the server's log holds a line for the given request id (pino writes asynchronously). */
async function logUpTo(requestId: string): Promise<string> {
  let text = ''
  await expect.poll(() => (text = fs.readFileSync(LOG_FILE, 'utf8')).includes(requestId)).toBe(true)
  return text
}

test('no password, token, refresh token or full e-mail reaches the log; their masked forms do', async ({ request, page }) => {
  const user = await createUser()
  // a wrong password that is also a sentinel: it must not appear either
  const wrongPassword = 'sentinel-wrong-Zq81'
  // the browser's login and service flow first
  await page.goto('/login')
  await page.locator('input[name="email"]').fill(user.email)
  await page.locator('input[name="password"]').fill(wrongPassword)
  await page.getByTestId('login-submit').click()
  await expect(page.getByTestId('login-outcome')).toContainText('密码错误')
  await loginInBrowser(page, user)
  await page.goto('/services/open')
  await catalogueCard(page, '00000002').getByTestId('open-service-button').click()
  await expect(catalogueCard(page, '00000002').getByTestId('opened-badge')).toBeVisible()
  await rpc(request, LOGIN, { loginKey: user.email, loginValue: wrongPassword })
  const session = await apiLogin(request, user)
  const refreshed = await rpc(request, REFRESH, { refreshToken: session.refreshToken })
  const body = { token: refreshed.json.token, arrangementType: 'Deduction', productCode: '00000001', userId: user.userId }
  await rpc(request, CREATE, body)
  await rpc(request, CREATE, body)
  const last = await rpc(request, LOGOUT, { token: refreshed.json.token })

  const log = await logUpTo(last.headers['x-request-id'])
  for (const secret of [user.password, wrongPassword, session.token, session.refreshToken, refreshed.json.token as string, refreshed.json.refreshToken as string, user.email]) {
    expect(log.includes(secret), `the log contains ${secret.slice(0, 6)}…`).toBe(false)
  }
  // the masked forms are there: user-…@example.com → u***@example.com, U…42 → U***42
  expect(log).toContain(`${user.email[0]}***@example.com`)
  expect(log).toContain(`${user.userId[0]}***${user.userId.slice(-2)}`)
  // every line is one JSON object
  for (const line of log.split('\n').filter((l) => l.startsWith('{'))) expect(() => JSON.parse(line)).not.toThrow()
})
