import { randomUUID } from 'node:crypto'
import type { APIRequestContext, Page } from '@playwright/test'
import { test, expect, createUser, expireSignRequestNow, rpc, signInContext, type TestUser } from './fixtures'
import { loginInBrowser } from './browser'
import { e2eMerchantAuthorization, E2E_MERCHANT } from '../tests/support/e2e-merchant'
import { expectAxeClean } from './axe'

// Merchant-initiated signing in the browser (docs/merchants.md#merchant-initiated-signing):
// the merchant asks through the API, the user opens the link, is sent to sign in
// and comes straight back, confirms or declines, and lands on the merchant's returnUrl with
// the outcome; finished, expired and unknown links say which and offer nothing.
// The e2e merchant's return origin is the e2e server itself (scripts/e2e-merchant.ts).
const merchant = { authorization: e2eMerchantAuthorization }

async function signRequest(request: APIRequestContext, baseURL: string, fields: Record<string, unknown> = {}) {
  const answer = await rpc(
    request,
    'deduction.Merchant/CreateSignRequest',
    {
      productCode: E2E_MERCHANT.productCode,
      merchantReference: `e2e-sign-${randomUUID()}`,
      returnUrl: `${baseURL}/merchant-return?order=42`,
      propertyValues: { paymentMethod: 'BALANCE_FIRST' },
      ...fields,
    },
    merchant,
  )
  expect(answer.json.code, answer.json.desc).toBe('00')
  return { id: answer.json.signRequestId as string, url: answer.json.signUrl as string }
}

const query = async (request: APIRequestContext, id: string) => (await rpc(request, 'deduction.Merchant/QuerySignRequest', { signRequestId: id }, merchant)).json

/** Opens the link signed out (the login page, with the sign page to come back to), then signs in as `user` and comes back. */
async function signInFromLink(page: Page, link: string, user: TestUser, through: 'form' | 'cookie' = 'cookie') {
  const path = new URL(link).pathname
  await page.goto(path)
  await expect(page).toHaveURL((url) => url.pathname === '/login' && url.searchParams.get('next') === path)
  if (through === 'form') return loginInBrowser(page, user, new RegExp(`${path}$`))
  // the way back through the login form is the one test below that says so; elsewhere the session is written directly
  await signInContext(page.context(), new URL(page.url()).origin, user)
  await page.goto(path)
  await expect(page).toHaveURL((url) => url.pathname === path)
}

test('sign in from the link, confirm, and land on the returnUrl with SIGNED, which the merchant confirms by query', async ({ page, request, baseURL }) => {
  const signer = await createUser({ label: 'signer' })
  const latecomer = await createUser({ label: 'latecomer' })
  const asked = await signRequest(request, baseURL!, { propertyValues: { paymentMethod: 'BANK_CARD' } })
  await signInFromLink(page, asked.url, signer)
  await expect(page.getByTestId('sign-state')).toHaveAttribute('data-state', 'PENDING')
  await expect(page.getByTestId('sign-product-name')).toHaveText('上海公共交通微信免密支付')
  await expect(page.getByTestId('sign-term-paymentMethod')).toHaveText('绑定的银行卡')
  await expect(page.getByTestId('sign-qr').locator('svg')).toBeVisible()
  await page.getByTestId('sign-confirm').click()
  await page.waitForURL((url) => url.pathname === '/merchant-return')
  const back = new URL(page.url())
  expect(back.searchParams.get('order')).toBe('42')
  expect(back.searchParams.get('signRequestId')).toBe(asked.id)
  expect(back.searchParams.get('signStatus')).toBe('SIGNED')
  const state = await query(request, asked.id)
  expect(state.signStatus).toBe('SIGNED')
  expect(state.userId).toBe(signer.userId)
  expect((state.agreement as { open: boolean; propertyValues: string }).open).toBe(true)
  expect(JSON.parse((state.agreement as { propertyValues: string }).propertyValues)).toEqual({ paymentMethod: 'BANK_CARD' })

  // the finished link, opened again: says so, offers nothing
  await page.goto(new URL(asked.url).pathname)
  await expect(page.getByTestId('sign-state')).toHaveAttribute('data-state', 'SIGNED')
  await expect(page.getByTestId('sign-confirm')).toHaveCount(0)
  // the user already holds the product now: another request for it shows code 16's message and stays PENDING
  const again = await signRequest(request, baseURL!)
  await page.goto(new URL(again.url).pathname)
  await page.getByTestId('sign-confirm').click()
  await expect(page.getByTestId('sign-outcome')).toHaveText('重复开通扣费服务')
  expect((await query(request, again.id)).signStatus).toBe('PENDING')
  // a second user opening the link the first one signed: already signed, nothing to do
  const context = await page.context().browser()!.newContext({ baseURL })
  const other = await context.newPage()
  await signInFromLink(other, again.url, latecomer)
  await rpc(request, 'deduction.Merchant/CancelSignRequest', { signRequestId: again.id }, merchant)
  await other.reload()
  await expect(other.getByTestId('sign-state')).toHaveAttribute('data-state', 'CANCELLED')
  await other.goto(new URL(asked.url).pathname)
  await expect(other.getByTestId('sign-state')).toHaveAttribute('data-state', 'SIGNED')
  await expect(other.getByTestId('sign-state')).toHaveText('该签约请求已被签约，无法再使用。')
  await context.close()
})

test('decline on a phone, in English: back with DECLINED; the page is axe clean before and after', async ({ browser, request, baseURL }) => {
  const decliner = await createUser({ label: 'decliner' })
  const context = await browser.newContext({ baseURL, viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'en-US' })
  await context.addCookies([{ name: 'NEXT_LOCALE', value: 'en', url: baseURL! }])
  const page = await context.newPage()
  const asked = await signRequest(request, baseURL!)
  await signInFromLink(page, asked.url, decliner)
  await expect(page.getByTestId('sign-confirm')).toHaveText('Confirm and sign')
  // a phone is the phone already: no QR code
  await expect(page.getByTestId('sign-qr')).toBeHidden()
  await expectAxeClean(page)
  await page.getByTestId('sign-decline').click()
  await page.waitForURL((url) => url.pathname === '/merchant-return')
  expect(new URL(page.url()).searchParams.get('signStatus')).toBe('DECLINED')
  expect((await query(request, asked.id)).signStatus).toBe('DECLINED')
  await page.goto(new URL(asked.url).pathname)
  await expect(page.getByTestId('sign-state')).toHaveAttribute('data-state', 'DECLINED')
  await expectAxeClean(page)
  await context.close()
})

test('not signed in: a pending link goes to login and back; unknown and cancelled links say so without login; zh on a phone, axe clean; never framed', async ({ browser, request, baseURL }) => {
  const phoneReader = await createUser({ label: 'phone-reader' })
  const context = await browser.newContext({ baseURL, viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'zh-CN' })
  const page = await context.newPage()
  await page.goto(`/sign/${'A'.repeat(43)}`)
  await expect(page.getByTestId('sign-state')).toHaveAttribute('data-state', 'UNKNOWN')
  await expect(page.getByTestId('sign-confirm')).toHaveCount(0)
  await expectAxeClean(page)
  const cancelled = await signRequest(request, baseURL!)
  await rpc(request, 'deduction.Merchant/CancelSignRequest', { signRequestId: cancelled.id }, merchant)
  const answer = await page.goto(new URL(cancelled.url).pathname)
  expect(answer?.headers()['content-security-policy']).toContain("frame-ancestors 'none'")
  await expect(page).toHaveURL((url) => url.pathname === new URL(cancelled.url).pathname)
  await expect(page.getByTestId('sign-state')).toHaveAttribute('data-state', 'CANCELLED')

  const asked = await signRequest(request, baseURL!)
  await signInFromLink(page, asked.url, phoneReader, 'form')
  await expect(page.getByTestId('sign-state')).toHaveAttribute('data-state', 'PENDING')
  await expectAxeClean(page)
  await context.close()
})

test('a link left open on a wide screen learns the outcome, even when signing in on the phone ends its session', async ({ browser, page, request, baseURL }) => {
  const watcher = await createUser({ label: 'watcher' })
  const asked = await signRequest(request, baseURL!)
  await signInFromLink(page, asked.url, watcher)
  await expect(page.getByTestId('sign-qr')).toBeVisible()
  // the phone: the same user signs in there (which ends the session on the wide screen) and confirms
  const phone = await browser.newContext({ baseURL, viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true })
  const phonePage = await phone.newPage()
  await signInFromLink(phonePage, asked.url, watcher)
  await phonePage.getByTestId('sign-confirm').click()
  await phonePage.waitForURL((url) => url.pathname === '/merchant-return')
  await phone.close()
  // the wide screen shows the outcome where it is, not the login page
  await expect(page.getByTestId('sign-state')).toHaveAttribute('data-state', 'SIGNED', { timeout: 10_000 })
  expect(new URL(page.url()).pathname).toBe(new URL(asked.url).pathname)
})

test('a pending link left open expires: the open page says so', async ({ page, request, baseURL }) => {
  const watcher = await createUser({ label: 'watcher' })
  const asked = await signRequest(request, baseURL!, { expiresInSeconds: 60 })
  await signInFromLink(page, asked.url, watcher)
  await expect(page.getByTestId('sign-state')).toHaveAttribute('data-state', 'PENDING')
  // nobody signs and the minute runs out (brought forward, not waited for): the merchant's
  // query finds it EXPIRED, and the open page, asking every two seconds, learns it by itself
  await expireSignRequestNow(asked.id)
  expect((await query(request, asked.id)).signStatus).toBe('EXPIRED')
  await expect(page.getByTestId('sign-state')).toHaveAttribute('data-state', 'EXPIRED', { timeout: 10_000 })
  await expect(page.getByTestId('sign-state')).toContainText('该签约链接已过期')
})

test('without script, the buttons are plain forms: confirm lands on the returnUrl with SIGNED, a refused confirm comes back with its reason', async ({ browser, request, baseURL }) => {
  const formSigner = await createUser({ label: 'form-signer' })
  const context = await browser.newContext({ baseURL, javaScriptEnabled: false })
  await signInContext(context, baseURL!, formSigner)
  const page = await context.newPage()
  const asked = await signRequest(request, baseURL!)
  await page.goto(new URL(asked.url).pathname)
  await expect(page.getByTestId('sign-state')).toHaveAttribute('data-state', 'PENDING')
  // the token goes in a Referer to this server only, and a form the browser posts itself keeps its Origin
  await expect(page.locator('meta[name="referrer"]')).toHaveAttribute('content', 'same-origin')
  await page.getByTestId('sign-confirm').click()
  await page.waitForURL((url) => url.pathname === '/merchant-return')
  expect(new URL(page.url()).searchParams.get('signStatus')).toBe('SIGNED')
  expect((await query(request, asked.id)).signStatus).toBe('SIGNED')
  // the user holds the product now: a second request's confirm is refused with code 16, the
  // page says why, and the request stays open
  const again = await signRequest(request, baseURL!)
  await page.goto(new URL(again.url).pathname)
  await page.getByTestId('sign-confirm').click()
  await expect(page).toHaveURL((url) => url.pathname === new URL(again.url).pathname && url.searchParams.get('failed') === '16')
  await expect(page.getByTestId('sign-outcome')).toHaveText('重复开通扣费服务')
  expect((await query(request, again.id)).signStatus).toBe('PENDING')
  await context.close()
})
