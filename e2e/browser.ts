import { expect, type Page } from '@playwright/test'

/** Logs in through the login form; `next` is where the app should land afterwards. */
export async function loginInBrowser(page: Page, user: { email: string; password: string }, landing = /\/services/) {
  if (!page.url().includes('/login')) await page.goto('/login')
  await page.locator('input[name="email"]').fill(user.email)
  await page.locator('input[name="password"]').fill(user.password)
  await page.getByTestId('login-submit').click()
  await expect(page).toHaveURL(landing)
}

export const catalogueCard = (page: Page, productCode: string) =>
  page.locator(`[data-testid="catalogue-card"][data-product-code="${productCode}"]`)
