import type { Browser, BrowserContextOptions, Page } from '@playwright/test'
import { test, expect, createUser } from './fixtures'
import { seriousFindings } from './axe'
import { catalogueCard, loginInBrowser } from './browser'

// axe-core on every screen, in both languages, at a phone's size and a desktop's. Each scan
// takes the whole page, so fields and screens added later are covered without a change here.
// A finding of impact "serious" or "critical" fails the test; all of them are printed at the
// end, screen by screen, with the elements and what axe says to fix.
// The error page (app/error.tsx) is not scanned: nothing a browser can do makes it appear
// while the database answers.

const SIZES = {
  phone: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true },
  desktop: { viewport: { width: 1280, height: 800 } },
} satisfies Record<string, BrowserContextOptions>
const LANGUAGES = { zh: { browserLocale: 'zh-CN', htmlLang: 'zh-CN' }, en: { browserLocale: 'en-US', htmlLang: 'en' } } as const

type Finding = string

async function scan(page: Page, screen: string, findings: Finding[]) {
  for (const v of await seriousFindings(page)) {
    const nodes = v.nodes
      .map((n) => `    at ${n.target.join(' ')}\n      ${(n.failureSummary ?? '').replace(/\n/g, '\n      ')}`)
      .join('\n')
    findings.push(`${screen} (${page.url()}): ${v.impact} ${v.id} — ${v.help}\n    ${v.helpUrl}\n${nodes}`)
  }
}

async function newContext(browser: Browser, baseURL: string, language: keyof typeof LANGUAGES, size: keyof typeof SIZES) {
  const context = await browser.newContext({ ...SIZES[size], locale: LANGUAGES[language].browserLocale, baseURL })
  // the language switch's choice, as the switch itself stores it (lib/i18n/set-locale.ts)
  await context.addCookies([{ name: 'NEXT_LOCALE', value: language, url: baseURL }])
  return context
}

for (const language of ['zh', 'en'] as const) {
  for (const size of ['phone', 'desktop'] as const) {
    test(`no serious or critical accessibility finding on any screen, ${language}, ${size}`, async ({ browser, baseURL }) => {
      // about twenty pages and scans, each scan a second or more on a busy machine
      test.setTimeout(300_000)
      // an account of its own, so that single-device login never crosses another test's
      const user = await createUser({ label: `a11y-${language}-${size}` })
      const findings: Finding[] = []
      const context = await newContext(browser, baseURL!, language, size)
      const page = await context.newPage()

      await page.goto('/login')
      await expect(page.locator('html')).toHaveAttribute('lang', LANGUAGES[language].htmlLang)
      await expect(page.getByTestId('demo-accounts')).toBeVisible()
      await scan(page, 'login', findings)

      await page.goto('/login?reason=expired')
      await expect(page.getByTestId('session-expired-notice')).toBeVisible()
      await scan(page, 'login, session expired', findings)

      await page.locator('input[name="email"]').fill(user.email)
      await page.locator('input[name="password"]').fill(`${user.password}-wrong`)
      await page.getByTestId('login-submit').click()
      await expect(page.getByTestId('login-outcome')).toHaveAttribute('data-outcome', 'failure')
      await scan(page, 'login, wrong password', findings)

      await loginInBrowser(page, user)
      await expect(page.getByTestId('empty-state')).toBeVisible()
      await scan(page, 'services, empty', findings)

      await page.goto('/services/open')
      await expect(page.getByTestId('catalogue-list')).toBeVisible()
      await scan(page, 'open a service', findings)
      await catalogueCard(page, '00000001').getByTestId('open-service-button').click()
      await expect(catalogueCard(page, '00000001').getByTestId('opened-badge')).toBeVisible()
      await scan(page, 'open a service, after opening', findings)

      await page.goto('/services')
      await expect(page.getByTestId('service-list')).toBeVisible()
      await scan(page, 'services, one open', findings)

      await page.goto('/services/00000001')
      await expect(page.getByTestId('danger-zone')).toBeVisible()
      await scan(page, 'service detail, open', findings)

      await page.goto('/services/00000002')
      await expect(page.getByTestId('open-zone')).toBeVisible()
      await scan(page, 'service detail, not open', findings)

      await page.goto('/services/00000001/close')
      await expect(page.getByTestId('confirm-close')).toBeVisible()
      await scan(page, 'close a service', findings)
      await page.getByTestId('confirm-close').click()
      await expect(page.getByTestId('close-outcome')).toHaveAttribute('data-outcome', 'success')
      await scan(page, 'close a service, after closing', findings)

      await page.goto('/services/00000002/close')
      await expect(page.getByTestId('close-not-open')).toBeVisible()
      await scan(page, 'close a service, not open', findings)

      await page.goto('/devices')
      await expect(page.getByTestId('recent-logins')).toBeVisible()
      await scan(page, 'devices', findings)

      await page.goto('/no-such-page')
      await expect(page.getByTestId('not-found')).toBeVisible()
      await scan(page, 'not found', findings)
      await page.goto('/services/99999999')
      await expect(page.getByTestId('not-found')).toBeVisible()
      await scan(page, 'not found, unknown service', findings)

      // a sign-in elsewhere ends this session: the open page goes to the login notice by itself.
      // A real login, through the app's login form, as the notice's page is reached in use
      const elsewhere = await newContext(browser, baseURL!, language, size)
      await loginInBrowser(await elsewhere.newPage(), user)
      await page.waitForURL(/\/login\?.*reason=elsewhere/)
      await expect(page.getByTestId('signed-elsewhere-notice')).toBeVisible()
      await scan(page, 'login, signed in elsewhere', findings)

      await elsewhere.close()
      await context.close()
      expect(findings, `accessibility findings:\n\n${findings.join('\n\n')}`).toEqual([])
    })
  }
}
