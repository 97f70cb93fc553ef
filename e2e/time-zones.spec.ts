import type { Browser, Page } from '@playwright/test'
import { test, expect, createUser, signInContext, type TestUser } from './fixtures'
import { catalogueCard, loginInBrowser } from './browser'

// Times are shown in the viewer's own time zone (components/time/local-time.tsx): the same
// instant reads differently in two browsers set to two zones, and each names its zone.
const ZONES = ['America/New_York', 'Asia/Tokyo'] as const

/** What this browser's Intl writes for the instant in the zone: the text the page should show, and the zone's name. */
function expected(page: Page, iso: string, timeZone: string) {
  return page.evaluate(
    ([iso, timeZone]) => {
      const format = new Intl.DateTimeFormat('zh', {
        year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZone, timeZoneName: 'short',
      })
      const date = new Date(iso)
      return { text: format.format(date), zone: format.formatToParts(date).find((p) => p.type === 'timeZoneName')!.value }
    },
    [iso, timeZone] as const,
  )
}

/** A browser in the zone, signed in as the user: the first by its session written directly, the next through the form. */
async function signedIn(browser: Browser, baseURL: string, user: TestUser, timezoneId: string, through: 'cookie' | 'form') {
  const context = await browser.newContext({ timezoneId, locale: 'zh-CN' })
  if (through === 'cookie') await signInContext(context, baseURL, user)
  const page = await context.newPage()
  // a real login, through the app, is what tells the first browser's open page that it was signed out
  if (through === 'form') await loginInBrowser(page, user)
  return { context, page }
}

test('the history shows the same instant in each viewer’s own zone, with the zone named', async ({ browser, baseURL }) => {
  // two sign-ins, an open and four pages: more than the default 30 s on a busy machine
  test.setTimeout(120_000)
  const user = await createUser()
  const first = await signedIn(browser, baseURL!, user, ZONES[0], 'cookie')
  await first.page.goto('/services/open')
  await catalogueCard(first.page, '00000001').getByTestId('open-service-button').click()
  await expect(catalogueCard(first.page, '00000001').getByTestId('opened-badge')).toBeVisible()

  const shown: { iso: string; text: string }[] = []
  const sessions = [first]
  for (const zone of ZONES) {
    // the second zone's browser signs in anew, which signs the first one out
    const { page } = zone === ZONES[0] ? first : await signedIn(browser, baseURL!, user, zone, 'form')
    if (zone !== ZONES[0]) sessions.push({ page, context: page.context() })
    await page.goto('/services/00000001')
    const time = page.getByTestId('history-time').first()
    // formatted in the browser once the page is live
    await expect(time).toHaveAttribute('data-zone', 'local')
    const iso = (await time.getAttribute('datetime'))!
    const want = await expected(page, iso, zone)
    await expect(time).toHaveText(want.text)
    await expect(time).toContainText(want.zone)
    shown.push({ iso, text: (await time.textContent())! })
  }
  expect(shown[1].iso).toBe(shown[0].iso)
  expect(shown[1].text).not.toBe(shown[0].text)

  // the first browser was signed out by the second: its page went to the notice by itself, naming the time in its own zone
  await first.page.waitForURL(/\/login\?.*reason=elsewhere/)
  const at = first.page.getByTestId('signed-elsewhere-time')
  await expect(at).toHaveAttribute('data-zone', 'local')
  const zoneName = (await expected(first.page, (await at.getAttribute('datetime'))!, ZONES[0])).zone
  await expect(at).toContainText(zoneName)

  for (const s of sessions) await s.context.close()
})

test('without JavaScript a time is written in UTC and says so', async ({ browser }) => {
  // signed in through the form: the devices page lists the login it recorded
  const user2 = await createUser()
  const live = await browser.newContext()
  await loginInBrowser(await live.newPage(), user2)
  const state = await live.storageState()
  const noScript = await browser.newContext({ javaScriptEnabled: false, timezoneId: ZONES[1], storageState: state })
  const page = await noScript.newPage()
  await page.goto('/devices')
  const time = page.getByTestId('recent-login').first().locator('time')
  await expect(time).toHaveAttribute('data-zone', 'utc')
  await expect(time).toContainText('UTC')
  await noScript.close()
  await live.close()
})
