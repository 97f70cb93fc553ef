import type { Page } from '@playwright/test'
import { test, expect, createUser, rpc, signInContext, type TestUser } from './fixtures'
import { e2eMerchantAuthorization, E2E_MERCHANT } from '../tests/support/e2e-merchant'
import { expectAxeClean } from './axe'

// The demo shop (docs/merchants.md#the-demo-shop) on the e2e server's demo database: the
// shop asks for a signature through the merchant API on its server, the customer signs on
// the sign page, the shop confirms the return by query and lists the events its own
// receiver verified.

/** A new order at the shop, then to the sign page as `user`; the order's sign request id. */
async function orderAndSignIn(page: Page, user: TestUser, method = 'BALANCE_FIRST'): Promise<string> {
  await page.goto('/demo/shop')
  await page.getByTestId(`shop-method-${method}`).check()
  await page.getByTestId('shop-start').click()
  await page.waitForURL(/\/demo\/shop\/orders\/sr_/)
  const id = new URL(page.url()).pathname.split('/').at(-1) as string
  await expect(page.getByTestId('shop-order-status')).toHaveAttribute('data-status', 'PENDING')
  const link = await page.getByTestId('shop-sign-link').getAttribute('href')
  const path = new URL(link!).pathname
  await page.goto(path)
  await expect(page).toHaveURL((url) => url.pathname === '/login' && url.searchParams.get('next') === path)
  // signed in by a session written directly (the login form's way back: e2e/sign-page.spec.ts)
  await signInContext(page.context(), new URL(page.url()).origin, user)
  await page.goto(path)
  await expect(page).toHaveURL((url) => url.pathname === path)
  return id
}

test('demo shop → sign page → sign in → confirm → back with SIGNED confirmed by query, and the signed event listed as verified', async ({ page }) => {
  const id = await orderAndSignIn(page, await createUser({ label: 'signer' }))
  await expect(page.getByTestId('sign-term-paymentMethod')).toHaveText('零钱优先')
  await page.getByTestId('sign-confirm').click()
  await page.waitForURL((url) => url.pathname === '/demo/shop/return')
  expect(new URL(page.url()).searchParams.get('signRequestId')).toBe(id)
  await expect(page.getByTestId('shop-confirmed-status')).toHaveAttribute('data-status', 'SIGNED')
  const event = page.locator(`[data-testid="shop-event"][data-sign-request="${id}"]`)
  await expect(event).toHaveAttribute('data-type', 'sign_request.signed', { timeout: 15_000 })
  await expect(event.getByTestId('shop-event-verified')).toHaveText('✓ 签名已验证')

  // a return address that lies is not believed: the shop shows what the query says
  await page.goto(`/demo/shop/return?signRequestId=${id}&signStatus=DECLINED`)
  await expect(page.getByTestId('shop-confirmed-status')).toHaveAttribute('data-status', 'SIGNED')
  await expect(page.getByTestId('shop-return-mismatch')).toBeVisible()
})

test('decline, in English on a phone: back with DECLINED confirmed, the event verified; the shop pages are axe clean', async ({ browser, baseURL }) => {
  // several axe scans and a webhook's delivery: more than the default 30 s on a busy machine
  test.setTimeout(90_000)
  const context = await browser.newContext({ baseURL, viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'en-US' })
  await context.addCookies([{ name: 'NEXT_LOCALE', value: 'en', url: baseURL! }])
  const page = await context.newPage()
  await page.goto('/demo/shop')
  await expect(page.getByTestId('shop-start')).toHaveText('Ask the customer to sign')
  await expectAxeClean(page)
  const id = await orderAndSignIn(page, await createUser({ label: 'decliner' }), 'BANK_CARD')
  await page.getByTestId('sign-decline').click()
  await page.waitForURL((url) => url.pathname === '/demo/shop/return')
  await expect(page.getByTestId('shop-confirmed-status')).toHaveAttribute('data-status', 'DECLINED')
  const event = page.locator(`[data-testid="shop-event"][data-sign-request="${id}"]`)
  await expect(event).toHaveAttribute('data-type', 'sign_request.declined', { timeout: 15_000 })
  await expect(event.getByTestId('shop-event-verified')).toHaveText('✓ signature verified')
  await expectAxeClean(page)
  await page.goto(`/demo/shop/orders/${id}`)
  await expect(page.getByTestId('shop-order-status')).toHaveAttribute('data-status', 'DECLINED')
  await expectAxeClean(page)
  await context.close()
})

test('the shop cancels while the sign page is open: the page shows CANCELLED, the event arrives verified; zh on a phone, axe clean', async ({ browser, baseURL }) => {
  // several axe scans and a webhook's delivery: more than the default 30 s on a busy machine
  test.setTimeout(90_000)
  const context = await browser.newContext({ baseURL, viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'zh-CN' })
  const page = await context.newPage()
  const id = await orderAndSignIn(page, await createUser({ label: 'watcher' }))
  await expect(page.getByTestId('sign-state')).toHaveAttribute('data-state', 'PENDING')
  const shop = await context.newPage()
  await shop.goto(`/demo/shop/orders/${id}`)
  await expectAxeClean(shop)
  await shop.getByTestId('shop-cancel').click()
  await expect(shop.getByTestId('shop-order-status')).toHaveAttribute('data-status', 'CANCELLED')
  await expect(page.getByTestId('sign-state')).toHaveAttribute('data-state', 'CANCELLED', { timeout: 10_000 })
  await expect(page.getByTestId('sign-confirm')).toHaveCount(0)
  await expect(shop.locator(`[data-testid="shop-event"][data-sign-request="${id}"]`)).toHaveAttribute('data-type', 'sign_request.cancelled', { timeout: 15_000 })
  await expectAxeClean(shop)
  await context.close()
})

test('a returnUrl at a foreign origin is refused at creation; the receiver refuses an unsigned event', async ({ request }) => {
  const answer = await rpc(
    request,
    'deduction.Merchant/CreateSignRequest',
    { productCode: E2E_MERCHANT.productCode, merchantReference: `e2e-shop-foreign-${Date.now()}`, returnUrl: 'https://evil.example/back', propertyValues: { paymentMethod: 'BALANCE_FIRST' } },
    { authorization: e2eMerchantAuthorization },
  )
  expect(answer.json.code).toBe('10')
  expect(answer.json.desc).toContain('returnUrl')
  const forged = await request.post('/demo/shop/webhooks', {
    headers: { 'webhook-id': 'msg_forged', 'webhook-timestamp': String(Math.floor(Date.now() / 1000)), 'webhook-signature': 'v1,AAAA' },
    data: { type: 'sign_request.signed', data: { signRequestId: 'sr_000000000000000000000000' } },
  })
  expect(forged.status()).toBe(400)
})
