import { test, expect, createUser } from './fixtures'
import { catalogueCard, loginInBrowser } from './browser'

const IPHONE_UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1'

test.describe('single-device login in the browser', () => {
  test('a login on B signs A out: A’s next navigation and next server action are refused with the notice', async ({ browser }) => {
    const user = await createUser()
    const a = await browser.newContext()
    const b = await browser.newContext({ userAgent: IPHONE_UA })
    // the server's own refusal, without the live notice (e2e/live-sign-out.spec.ts) getting there first
    await Promise.all([a, b].map((context) => context.route('**/api/session/events', (route) => route.abort())))
    const pageA = await a.newPage()
    const pageB = await b.newPage()

    await loginInBrowser(pageA, user)
    await pageA.goto('/services/open')
    await expect(catalogueCard(pageA, '00000001')).toBeVisible()

    await loginInBrowser(pageB, user)

    // A's next server action: refused, nothing opened, and A lands on login with the notice
    await catalogueCard(pageA, '00000001').getByTestId('open-service-button').click()
    await expect(pageA).toHaveURL(/\/login\?.*reason=elsewhere/)
    const notice = pageA.getByTestId('signed-elsewhere-notice')
    await expect(notice).toBeVisible()
    await expect(notice).toContainText('Safari 17')
    await expect(notice).toContainText('iOS')
    await pageB.goto('/services')
    await expect(pageB.getByTestId('empty-state')).toBeVisible()

    // A's next navigation: refused as well
    await loginInBrowser(pageA, user)
    await pageB.goto('/devices')
    await expect(pageB).toHaveURL(/\/login\?.*reason=elsewhere/)
    await expect(pageB.getByTestId('signed-elsewhere-notice')).toContainText('Chrome')

    // and the one signed in last works
    await pageA.goto('/devices')
    await expect(pageA).toHaveURL(/\/devices$/)
    await a.close()
    await b.close()
  })

  test('the notice about another device says only what the server knows, never what the link says', async ({ browser }) => {
    const user = await createUser()
    const crafted = `/login?reason=elsewhere&device=${encodeURIComponent('Call +86 400-000-0000 now')}&at=2019-03-04T05:06:07Z`

    // a stranger's link, in a browser with no session: nothing of it is shown
    const stranger = await browser.newContext()
    const page = await stranger.newPage()
    await page.goto(crafted)
    await expect(page.getByTestId('login-form')).toBeVisible()
    // what the page shows (the router's own state in the HTML repeats the URL, as data)
    const shown = await page.locator('body').innerText()
    expect(shown).not.toContain('400-000-0000')
    expect(shown).not.toContain('2019')
    await stranger.close()

    // the same link in a browser whose session was really ended: the real device and time
    const a = await browser.newContext()
    const b = await browser.newContext({ userAgent: IPHONE_UA })
    // this test opens the crafted link itself: the live notice must not navigate first
    await a.route('**/api/session/events', (route) => route.abort())
    const pageA = await a.newPage()
    const pageB = await b.newPage()
    await loginInBrowser(pageA, user)
    await loginInBrowser(pageB, user)
    await pageA.goto(crafted)
    const notice = pageA.getByTestId('signed-elsewhere-notice')
    await expect(notice).toContainText('Safari 17')
    await expect(notice).toContainText(String(new Date().getFullYear()))
    const shownToA = await pageA.locator('body').innerText()
    expect(shownToA).not.toContain('400-000-0000')
    expect(shownToA).not.toContain('2019')
    await a.close()
    await b.close()
  })

  test('two users in two browsers do not affect each other', async ({ browser }) => {
    const a = await browser.newContext()
    const b = await browser.newContext()
    const pageA = await a.newPage()
    const pageB = await b.newPage()
    await loginInBrowser(pageA, await createUser())
    await loginInBrowser(pageB, await createUser())
    await pageA.goto('/devices')
    await pageB.goto('/devices')
    await expect(pageA).toHaveURL(/\/devices$/)
    await expect(pageB).toHaveURL(/\/devices$/)
    await a.close()
    await b.close()
  })

  test('a signed-out visitor goes to login and comes back to the page asked for', async ({ page }) => {
    await page.goto('/devices')
    await expect(page).toHaveURL(/\/login\?next=%2Fdevices/)
    await loginInBrowser(page, await createUser(), /\/devices$/)
    await expect(page.getByTestId('sign-out')).toBeVisible()
  })

  test('a wrong password shows one generic message and keeps no password in the page', async ({ page }) => {
    await page.goto('/login')
    await page.locator('input[name="email"]').fill('nobody@example.com')
    await page.locator('input[name="password"]').fill('sentinel-Pw-9z')
    await page.getByTestId('login-submit').click()
    const outcome = page.getByTestId('login-outcome')
    await expect(outcome).toContainText('密码错误')
    const forUnknownUser = await outcome.textContent()
    await page.locator('input[name="email"]').fill((await createUser()).email)
    await page.locator('input[name="password"]').fill('sentinel-Pw-9z')
    await page.getByTestId('login-submit').click()
    await expect(page.getByTestId('login-submit')).toBeEnabled()
    // an unknown account and a wrong password read the same
    await expect(outcome).toHaveText(forUnknownUser ?? '')
    expect(await page.content()).not.toContain('sentinel-Pw-9z')
  })

  test('signing out ends the session', async ({ page }) => {
    await loginInBrowser(page, await createUser())
    await page.goto('/devices')
    await page.getByTestId('sign-out').click()
    await expect(page).toHaveURL(/\/login/)
    await page.goto('/services')
    await expect(page).toHaveURL(/\/login\?next=%2Fservices/)
  })
})
