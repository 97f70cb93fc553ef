import type { Browser, Page } from '@playwright/test'
import { test, expect, createUser, signInContext } from './fixtures'

// After login the browser goes back to `?next=`, but only to a page of this site.
// Each value is one a browser would read differently from a naive string check
// (it drops tabs and newlines, reads backslashes as slashes, and takes `//host`
// as another host). Any other host is answered by a stand-in page, so a redirect
// that escapes shows up as the final URL instead of a network error.

const crafted: Array<[value: string, path: string]> = [
  ['/\t/evil.example/x', '/services'],
  ['/\n/evil.example/x', '/services'],
  ['/\r/evil.example/x', '/services'],
  ['/\r\n/evil.example/x', '/services'],
  ['\t//evil.example/x', '/services'],
  ['//evil.example/x', '/services'],
  ['///evil.example/x', '/services'],
  ['/.//evil.example/x', '/services'],
  ['/\\evil.example/x', '/services'],
  ['\\\\evil.example/x', '/services'],
  ['/\\/evil.example/x', '/services'],
  ['\\/evil.example/x', '/services'],
  ['  //evil.example/x', '/services'],
  ['http://evil.example/x', '/services'],
  ['https://evil.example/x', '/services'],
  ['http:evil.example/x', '/services'],
  ['http:/evil.example/x', '/services'],
  ['HTTP://evil.example/x', '/services'],
  ['javascript:alert(document.domain)', '/services'],
  ['//evil.example@127.0.0.1/x', '/services'],
  ['/login', '/services'],
  ['/%2F%2Fevil.example/x', '/%2F%2Fevil.example/x'],
  ['/%5Cevil.example/x', '/%5Cevil.example/x'],
  ['/%09/evil.example/x', '/%09/evil.example/x'],
  ['  /devices', '/devices'],
  ['/devices', '/devices'],
]

// Through the form, one value of each kind (a dropped control character, another host by
// `//`, a scheme, an encoded slash that stays a path, a page of this site); every value
// through the page's redirect for a user already signed in, which reads `next` by the
// same rule (lib/auth/return-path.ts) and lets the browser follow it the same way.
const throughTheForm = new Set(['/\t/evil.example/x', '//evil.example/x', 'https://evil.example/x', '/%2F%2Fevil.example/x', '/devices'])

/** A browser context in which any other host answers with a stand-in page. */
async function contextWithStandIn(browser: Browser, origin: string) {
  const context = await browser.newContext()
  await context.route((url) => url.origin !== origin, (route) =>
    route.fulfill({ status: 200, contentType: 'text/html', body: '<title>elsewhere</title>elsewhere' }),
  )
  return context
}

async function expectLanded(page: Page, origin: string, path: string) {
  await expect(page).not.toHaveURL((url) => url.origin === origin && url.pathname === '/login')
  const landed = new URL(page.url())
  expect(landed.origin).toBe(origin)
  expect(landed.pathname).toBe(path)
}

test.describe('the page after login is always one of this site', () => {
  for (const [value, path] of crafted.filter(([value]) => throughTheForm.has(value))) {
    test(`through the form: next=${JSON.stringify(value)} lands on ${path}`, async ({ browser, baseURL }) => {
      const origin = new URL(baseURL!).origin
      const context = await contextWithStandIn(browser, origin)
      const page = await context.newPage()
      // a user of its own: the tests run side by side, and each login ends the user's other session
      const user = await createUser()
      await page.goto(`/login?next=${encodeURIComponent(value)}`)
      await page.locator('input[name="email"]').fill(user.email)
      await page.locator('input[name="password"]').fill(user.password)
      await page.getByTestId('login-submit').click()
      await expectLanded(page, origin, path)
      await context.close()
    })
  }

  test('signed in already: every crafted next lands on a page of this site', async ({ browser, baseURL }) => {
    const origin = new URL(baseURL!).origin
    const context = await contextWithStandIn(browser, origin)
    await signInContext(context, baseURL!, await createUser())
    const page = await context.newPage()
    for (const [value, path] of crafted) {
      await test.step(`next=${JSON.stringify(value)} lands on ${path}`, async () => {
        await page.goto(`/login?next=${encodeURIComponent(value)}`)
        await expectLanded(page, origin, path)
      })
    }
    await context.close()
  })
})
