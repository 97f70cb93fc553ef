import { test, expect } from './fixtures'
import { loginInBrowser } from './browser'

// The devices page's demo tool (the e2e server runs in demo mode). It works for the demo
// accounts only, so these tests share one: Carol, whom no other spec signs in as. Each of
// them signs her in, which ends her other session (single-device login): they run one
// after the other, in one worker.
test.describe.configure({ mode: 'serial' })
const carol = { email: 'carol@example.com', password: 'carol-demo-pass' }

test.describe('demo: sign in from another device', () => {
  test('signs the browser out: the page goes to the notice naming the chosen phone by itself', async ({ page }) => {
    await loginInBrowser(page, carol)
    await page.goto('/devices')
    const tool = page.getByTestId('demo-sign-in-elsewhere')
    await expect(tool).toBeVisible()
    await tool.getByLabel('手机').selectOption('HUAWEI Mate 70 · 微信')
    await tool.getByTestId('demo-sign-in').click()

    // the live sign-out notice takes the page there, with no further click
    await expect(page).toHaveURL(/\/login\?.*reason=elsewhere/)
    const notice = page.getByTestId('signed-elsewhere-notice')
    await expect(notice).toBeVisible()
    await expect(notice).toContainText('HUAWEI Mate 70 · 微信')

    // signing in again comes back to the devices page, where the simulated login is in the
    // account's login log like any other, and this browser's as signed out by it
    await loginInBrowser(page, carol, /\/devices$/)
    const recent = page.getByTestId('recent-login')
    await expect(recent.filter({ hasText: 'HUAWEI Mate 70 · 微信' }).first()).toHaveAttribute('data-outcome', 'KICKED_OUT')
  })

  test('an account that is not a demo account is told so, and stays signed in', async ({ page, login }) => {
    await login()
    await page.goto('/devices')
    await page.getByTestId('demo-sign-in-elsewhere').getByTestId('demo-sign-in').click()
    const outcome = page.getByTestId('demo-outcome')
    await expect(outcome).toHaveAttribute('data-outcome', 'failure')
    await expect(outcome).toContainText('仅适用于演示账号')
    await page.goto('/devices')
    await expect(page).toHaveURL(/\/devices$/)
  })
})

test.describe('demo: sign in from another device, in English', () => {
  test.use({ locale: 'en-US' })

  test('the simulated login lands the page on the notice, in English too', async ({ page }) => {
    await loginInBrowser(page, carol)
    await page.goto('/devices')
    const tool = page.getByTestId('demo-sign-in-elsewhere')
    await expect(tool).toContainText('Demo mode only')
    await tool.getByLabel('Phone').selectOption('iPhone 16 · 微信')
    await tool.getByTestId('demo-sign-in').click()
    await expect(page).toHaveURL(/\/login\?.*reason=elsewhere/)
    await expect(page.getByTestId('signed-elsewhere-notice')).toContainText('iPhone 16 · 微信')
  })
})
