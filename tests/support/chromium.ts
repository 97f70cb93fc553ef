// Debian's Chromium driven by Playwright from a node:test file, with the flags the e2e
// suite uses (playwright.config.ts), and the login form filled in as a person would.
import { chromium, type Browser, type Page } from '@playwright/test'

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    // without the background-networking flags Chromium floods the closed network
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic', '--disable-dev-shm-usage'],
  })
}

/** Signs in through the login page and waits for the services page. */
export async function signInWithForm(page: Page, user: { email: string; password: string }): Promise<void> {
  await page.goto('/login')
  await page.locator('input[name="email"]').fill(user.email)
  await page.locator('input[name="password"]').fill(user.password)
  await page.getByTestId('login-submit').click()
  await page.waitForURL(/\/services$/)
}
