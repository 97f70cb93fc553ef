import type { Page } from '@playwright/test'
import { test, expect, createUser, apiLogin, signInContext } from './fixtures'
import { loginInBrowser } from './browser'

// A signed-in page left open learns that its session ended, with no click: the
// layout's SessionWatch listens on GET /api/session/events and, on `ended`, takes the
// page to the login page with the notice. Two devices are two browser contexts.
// (Several instances and an admin revoke: tests/live-sign-out.test.ts.)

const IPHONE_UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1'

// the product's promise: the open page learns within 2 s; its login page then loads at its own pace
const LEARNS_WITHIN_MS = 2_000

/** Resolves when the page's session stream has answered (its headers: the server holds it from then on). */
const streamOpened = (page: Page) => page.waitForResponse((res) => new URL(res.url()).pathname === '/api/session/events' && res.status() === 200)

test('a login on device B signs out the page left open on device A, with when and which device', async ({ browser, baseURL }) => {
  const user = await createUser()
  const a = await browser.newContext()
  const b = await browser.newContext({ userAgent: IPHONE_UA, locale: 'en-US' })
  await signInContext(a, baseURL!, user)
  const pageA = await a.newPage()
  const pageB = await b.newPage()
  // A's stream is open before B logs in (through the form: the notice names the device the login came from)
  const opened = streamOpened(pageA)
  await pageA.goto('/services/open')
  await opened

  await loginInBrowser(pageB, user)
  await pageA.waitForURL(/\/login\?.*reason=elsewhere/, { waitUntil: 'commit', timeout: LEARNS_WITHIN_MS })
  const notice = pageA.getByTestId('signed-elsewhere-notice')
  await expect(notice).toBeVisible()
  await expect(notice).toContainText('Safari 17')
  await expect(notice).toContainText('iOS')
  await expect(notice).toContainText(String(new Date().getFullYear()))
  // the time says its zone (the browser's own: UTC on this machine)
  await expect(notice).toContainText(/UTC|GMT/)
  // and signing in again brings A back to the page it was on
  await expect(pageA).toHaveURL(/next=%2Fservices%2Fopen/)
  await loginInBrowser(pageA, user, /\/services\/open$/)
  // which ends B's session in turn, and B's page is told as A's was. Waiting for it also
  // keeps the contexts from closing while B's page is between two pages.
  await pageB.waitForURL(/\/login\?.*reason=elsewhere/, { waitUntil: 'commit', timeout: LEARNS_WITHIN_MS })
  await expect(pageB.getByTestId('signed-elsewhere-notice')).toBeVisible()
  await a.close()
  await b.close()
})

test('a login through the API signs out the open page; in English, the notice is in English', async ({ browser, request, baseURL }) => {
  const user = await createUser()
  const a = await browser.newContext({ locale: 'en-US' })
  await signInContext(a, baseURL!, user)
  const pageA = await a.newPage()
  const opened = streamOpened(pageA)
  await pageA.goto('/services')
  await opened

  await apiLogin(request, user)
  await pageA.waitForURL(/\/login\?.*reason=elsewhere/, { waitUntil: 'commit', timeout: LEARNS_WITHIN_MS })
  const notice = pageA.getByTestId('signed-elsewhere-notice')
  await expect(notice).toContainText('Signed in on another device')
  await a.close()
})

test('signing out in one tab signs out the other tabs of the browser', async ({ browser, baseURL }) => {
  const user = await createUser()
  const context = await browser.newContext()
  await signInContext(context, baseURL!, user)
  const first = await context.newPage()
  const second = await context.newPage()
  const opened = streamOpened(second)
  await second.goto('/services')
  await opened

  await first.goto('/devices')
  await first.getByTestId('sign-out').click()
  await expect(first).toHaveURL(/\/login$/)
  await second.waitForURL(/\/login\?.*reason=ended/, { waitUntil: 'commit', timeout: LEARNS_WITHIN_MS })
  await expect(second.getByTestId('signed-out-notice')).toBeVisible()
  await context.close()
})

test('the stream answers 401 without a session cookie', async ({ request }) => {
  const res = await request.get('/api/session/events')
  expect(res.status()).toBe(401)
  expect(res.headers()['cache-control']).toBe('no-store')
})
