import type { BrowserContext } from '@playwright/test'
import { test, expect, createUser } from './fixtures'
import { loginInBrowser } from './browser'

// The browser has one way in (the login form) and one way out (the sign-out button).
// next-auth only signs and reads the session cookie: none of its endpoints answers,
// so none can sign in around the login log, or vouch for a session the database ended.

const sessionCookie = async (context: BrowserContext) =>
  (await context.cookies()).find((cookie) => cookie.name.endsWith('next-auth.session-token'))

test('next-auth answers nothing: no second login, no session for an ended one, no second logout', async ({ browser }) => {
  const user = await createUser()
  const a = await browser.newContext()
  const b = await browser.newContext()
  const pageA = await a.newPage()
  const pageB = await b.newPage()
  await loginInBrowser(pageA, user)
  await loginInBrowser(pageB, user)
  const ended = await sessionCookie(a)
  expect(ended, 'A still holds the cookie of its ended session').toBeTruthy()

  // the ended session's cookie gets no user and no fresh cookie
  const session = await a.request.get('/api/auth/session')
  expect(await session.text()).not.toContain(user.email)
  expect(session.headers()['set-cookie'] ?? '').not.toContain('session-token')
  expect(session.status()).toBe(404)

  // no login around the form: the credentials callback starts no session. Sent from our own
  // origin, so that next-auth itself answers, not the origin check every page POST meets
  const ownOrigin = { origin: `http://127.0.0.1:${process.env.E2E_PORT}` }
  const stranger = await browser.newContext()
  const csrf = await stranger.request.get('/api/auth/csrf')
  const csrfToken = csrf.ok() ? ((await csrf.json()) as { csrfToken?: string }).csrfToken ?? '' : ''
  const callback = await stranger.request.post('/api/auth/callback/credentials', {
    form: { csrfToken, email: user.email, password: user.password, json: 'true' },
    headers: ownOrigin,
    maxRedirects: 0,
  })
  expect(callback.status()).toBe(404)
  expect(await sessionCookie(stranger)).toBeUndefined()
  await pageB.goto('/devices')
  await expect(pageB, 'B, signed in last, is still signed in').toHaveURL(/\/devices$/)

  // no logout around the button
  const signOutCsrf = await b.request.get('/api/auth/csrf')
  const signOutToken = signOutCsrf.ok() ? ((await signOutCsrf.json()) as { csrfToken?: string }).csrfToken ?? '' : ''
  const signOut = await b.request.post('/api/auth/signout', { form: { csrfToken: signOutToken, json: 'true' }, headers: ownOrigin, maxRedirects: 0 })
  expect(signOut.status()).toBe(404)
  await pageB.goto('/devices')
  await expect(pageB).toHaveURL(/\/devices$/)

  // the one way out
  await pageB.getByTestId('sign-out').click()
  await expect(pageB).toHaveURL(/\/login/)
  await pageB.goto('/devices')
  await expect(pageB).toHaveURL(/\/login\?next=%2Fdevices/)
  await Promise.all([a.close(), b.close(), stranger.close()])
})
