import { test, expect } from './fixtures'
import { catalogueCard } from './browser'

test('open 摩拜单车微信免密支付 choosing a payment method, see it on the detail page, change it, and find both in the history', async ({ page, login }) => {
  await login()
  await page.goto('/services/open')
  const mobike = catalogueCard(page, '00000001')
  await mobike.getByTestId('catalogue-terms').locator('summary').click()
  await mobike.getByTestId('term-paymentMethod').selectOption('BALANCE_FIRST')
  await mobike.getByTestId('term-account').fill('13812345678')
  await mobike.getByTestId('open-service-button').click()
  await expect(mobike.getByTestId('opened-badge')).toBeVisible()
  await expect(mobike.getByTestId('open-outcome')).toContainText('成功')

  // the list shows the values, the account masked
  await page.goto('/services')
  await expect(page.getByTestId('service-terms')).toHaveText('开通账号：138****5678；扣款方式：零钱优先')

  await page.goto('/services/00000001')
  await expect(page.getByTestId('term-value-paymentMethod')).toHaveText('零钱优先')
  await expect(page.getByTestId('term-value-account')).toHaveText('138****5678')
  await expect(page.getByText('13812345678')).toHaveCount(0)

  // only the changeable term is offered for change, on its current value
  const form = page.getByTestId('change-terms-form')
  await expect(form.getByTestId('term-account')).toHaveCount(0)
  await expect(form.getByTestId('term-paymentMethod')).toHaveValue('BALANCE_FIRST')
  await form.getByTestId('term-paymentMethod').selectOption('BANK_CARD')
  await form.getByTestId('change-terms-submit').click()
  await expect(form.getByTestId('change-outcome')).toHaveAttribute('data-outcome', 'success')
  await expect(page.getByTestId('term-value-paymentMethod')).toHaveText('绑定的银行卡')

  const entries = page.getByTestId('history-entry')
  await expect(entries).toHaveCount(2)
  await expect(entries.nth(0)).toHaveAttribute('data-action', 'OPEN')
  await expect(entries.nth(0).getByTestId('history-values')).toHaveText('条款：开通账号：138****5678；扣款方式：零钱优先')
  await expect(entries.nth(1)).toHaveAttribute('data-action', 'CHANGE')
  await expect(entries.nth(1).getByTestId('history-values')).toHaveText('条款：开通账号：138****5678；扣款方式：绑定的银行卡')

  // after a reload the change stands, and the history is the same
  await page.reload()
  await expect(page.getByTestId('term-value-paymentMethod')).toHaveText('绑定的银行卡')
  await expect(page.getByTestId('history-entry')).toHaveCount(2)
})

test('one tap opens with the defaults, and the detail page of an unopened service asks for the terms', async ({ page, login }) => {
  await login()
  await page.goto('/services/00000002')
  const zone = page.getByTestId('open-zone')
  await expect(zone.getByTestId('term-paymentMethod')).toHaveValue('DEFAULT_ORDER')
  await zone.getByTestId('open-service-button').click()
  await expect(page.getByTestId('term-value-paymentMethod')).toHaveText('按默认支付顺序')
  await expect(page.getByTestId('term-value-account')).toHaveText('未填写')
  await expect(page.getByTestId('history-entry')).toHaveCount(1)
})
