import { test, expect, rpc } from './fixtures'
import { catalogueCard } from './browser'
import { e2eMerchantAuthorization, E2E_MERCHANT } from '../tests/support/e2e-merchant'

// The merchant's side seen from the browser (docs/merchants.md): the user opens a
// service in the page, the merchant finds it through the API with its key, ends it
// with a reason, and the user's pages show it gone and who ended it.
const merchant = { authorization: e2eMerchantAuthorization }

test('the merchant sees the agreement the user opened in the browser, ends it, and the detail page says the merchant did', async ({ page, login, request }) => {
  const user = await login()
  const agreement = { arrangementType: 'Deduction', productCode: E2E_MERCHANT.productCode, userId: user.userId }
  await page.goto('/services/open')
  const card = catalogueCard(page, E2E_MERCHANT.productCode)
  await card.getByTestId('open-service-button').click()
  await expect(card.getByTestId('opened-badge')).toBeVisible()

  const query = await rpc(request, 'deduction.Merchant/QueryAgreement', agreement, merchant)
  expect(query.json.code, query.json.desc).toBe('00')
  expect((query.json.agreement as { open: boolean }).open).toBe(true)
  // the other product belongs to no merchant of this key: 04
  const other = await rpc(request, 'deduction.Merchant/QueryAgreement', { ...agreement, productCode: '00000001' }, merchant)
  expect(other.json.code).toBe('04')

  const close = await rpc(request, 'deduction.Merchant/CloseAgreement', { ...agreement, reason: '乘车码账户已注销' }, merchant)
  expect(close.json.code, close.json.desc).toBe('00')

  await page.goto('/services')
  await expect(page.getByTestId('empty-state')).toBeVisible()
  await page.goto(`/services/${E2E_MERCHANT.productCode}`)
  const entries = page.getByTestId('history-entry')
  await expect(entries).toHaveCount(2)
  const last = entries.last()
  await expect(last).toHaveAttribute('data-action', 'CLOSE')
  await expect(last).toHaveAttribute('data-actor', 'MERCHANT')
  await expect(last).toContainText('由商户关闭：乘车码账户已注销')
})
