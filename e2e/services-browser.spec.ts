import { test, expect, createUser, signInContext } from './fixtures'
import { catalogueCard } from './browser'

test('the end-to-end flow in the browser: log in, open, listed, close, empty', async ({ page, login }) => {
  await login()
  await page.goto('/services')
  await expect(page.getByTestId('empty-state')).toBeVisible()

  await page.goto('/services/open')
  const mobike = catalogueCard(page, '00000001')
  await mobike.getByTestId('open-service-button').click()
  await expect(mobike.getByTestId('opened-badge')).toBeVisible()
  await expect(mobike.getByTestId('open-outcome')).toContainText('成功')

  await page.goto('/services')
  const card = page.getByTestId('service-card')
  await expect(card).toHaveCount(1)
  await expect(card).toContainText('摩拜单车微信免密支付')
  await expect(card).toContainText('摩拜单车')

  await card.getByTestId('service-close-link').click()
  await expect(page.getByTestId('close-product-name')).toContainText('摩拜单车微信免密支付')
  await page.getByTestId('confirm-close').click()
  await expect(page.getByTestId('close-outcome')).toContainText('成功')
  await page.getByTestId('close-done').click()
  await expect(page).toHaveURL(/\/services$/)
  await expect(page.getByTestId('empty-state')).toBeVisible()
})

test('open, close, open: the detail page shows the terms and three events in order', async ({ page, login }) => {
  await login()
  for (const step of ['open', 'close', 'open'] as const) {
    if (step === 'open') {
      await page.goto('/services/open')
      await catalogueCard(page, '00000002').getByTestId('open-service-button').click()
      await expect(catalogueCard(page, '00000002').getByTestId('opened-badge')).toBeVisible()
    } else {
      await page.goto('/services/00000002/close')
      await page.getByTestId('confirm-close').click()
      // the outcome line is always there (a live region): wait for the answer it shows
      await expect(page.getByTestId('close-outcome')).toHaveAttribute('data-outcome', 'success')
    }
  }
  await page.goto('/services/00000002')
  await expect(page.getByTestId('product-name')).toContainText('上海公共交通微信免密支付')
  await expect(page.getByTestId('arrangement')).toContainText('扣费合约')
  await expect(page.getByTestId('arrangement')).toContainText('20200504')
  await expect(page.getByText('开通账号')).toBeVisible()
  await expect(page.getByTestId('history-entry')).toHaveCount(3)
})

test('the language switch turns the pages to English and back', async ({ page, login }) => {
  await login()
  await page.goto('/services')
  await page.getByTestId('language-switch').click()
  await expect(page.locator('html')).toHaveAttribute('lang', 'en')
  await page.goto('/services/open')
  await expect(catalogueCard(page, '00000001').getByTestId('open-service-button')).toHaveText(/Open|Enable|Activate/i)
  await page.getByTestId('language-switch').click()
  await expect(page.locator('html')).toHaveAttribute('lang', /zh/)
})

test('a phone-sized screen shows the list without sideways scrolling', async ({ browser, baseURL }) => {
  const context = await browser.newContext({ viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true })
  await signInContext(context, baseURL!, await createUser())
  const page = await context.newPage()
  await page.goto('/services/open')
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
  expect(overflow).toBeLessThanOrEqual(0)
  await context.close()
})

test('an altered page link shows what happened and the way back to the first page, not an error page', async ({ page, login }) => {
  await login()
  await page.goto('/services/open')
  await catalogueCard(page, '00000001').getByTestId('open-service-button').click()
  await expect(catalogueCard(page, '00000001').getByTestId('opened-badge')).toBeVisible()

  // the plain, out-of-range form of an old cursor, as a client might write it by hand
  await page.goto(`/services?page=${encodeURIComponent('c1.9223372036854775808.1')}`)
  const notice = page.getByTestId('bad-page-token')
  await expect(notice).toContainText('此分页链接无效')
  await expect(page.getByTestId('service-card')).toHaveCount(0)
  await notice.getByTestId('first-page').click()
  await expect(page).toHaveURL(/\/services$/)
  await expect(page.getByTestId('service-card')).toHaveCount(1)
})
