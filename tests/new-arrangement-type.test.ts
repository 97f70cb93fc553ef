import { testDatabaseEnv } from './support/test-database-env'
// A new kind of arrangement with terms of its own, added with the admin command line
// and nothing else (docs/product.md#terms-of-an-arrangement): its catalogue, opening
// with its terms, the detail and a change work through the API and in Chromium, with
// no code that knows it. It builds nothing: `npm run build` first.
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { after, before, test } from 'node:test'
import { chromium, expect as baseExpect, type Browser } from '@playwright/test'
import { call, root, startServer, type ServerProcess } from './support/server-process'
import { prepareDatabase, type TestUser } from './support/prepare-database'
import { CATALOGUE, CREATE, DETAIL, LOGIN, MODIFY } from './support/rpc'
import { tsxCommand } from '@/lib/testing/tsx-command'

// outside the Playwright runner its config does not apply: waits as long as the e2e suite's, with room for a loaded machine
const expect = baseExpect.configure({ timeout: 15_000 })

const dbEnv = testDatabaseEnv()

const PARKING_TERMS = {
  version: 1,
  properties: [
    { key: 'plate', label: { zh: '车牌号', en: 'Plate number' }, type: 'text', maxLength: 10, required: true, changeable: false },
    {
      key: 'billing',
      label: { zh: '计费方式', en: 'Billing' },
      type: 'choice',
      options: [
        { value: 'PER_VISIT', label: { zh: '按次扣费', en: 'Per visit' } },
        { value: 'MONTHLY', label: { zh: '包月扣费', en: 'Monthly' } },
      ],
      default: 'PER_VISIT',
      changeable: true,
    },
  ],
}

/** `npm run admin -- …` as an operator runs it, on this test's database. */
function admin(args: string[]): string {
  const env = { ...process.env, ...dbEnv } as NodeJS.ProcessEnv
  if (!dbEnv.DATABASE_URL) delete env.DATABASE_URL
  return execFileSync(...tsxCommand(['scripts/admin.ts', ...args]), { cwd: root, env, encoding: 'utf8', stdio: 'pipe' })
}

let server: ServerProcess
let browser: Browser
// a user for the API test and one for the browser test
let apiUser: TestUser
let browserUser: TestUser

before(async () => {
  ;[apiUser, browserUser] = prepareDatabase(dbEnv, { users: 2 })
  // before the server starts: the embedded database belongs to one process at a time
  assert.match(admin(['arrangement:add', '--number', '00000002', '--name', '停车扣费合约', '--version', '20260101', '--type', 'Parking', '--properties', JSON.stringify(PARKING_TERMS)]), /Added arrangement 00000002/)
  assert.match(admin(['product:add', '--code', '00000003', '--name', '城市停车免密支付', '--desc', '出场时自动扣取停车费', '--org', '城市停车']), /Added product 00000003/)
  server = await startServer(dbEnv)
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic', '--disable-dev-shm-usage'],
  })
})

after(async () => {
  await browser?.close()
  if (server && !server.exited()) await server.stop('SIGKILL')
})

test('the API: the new type\u2019s catalogue and terms, opening with them (the required one enforced), the detail, a change', async () => {
  const who = apiUser
  const login = (await call(server.base, LOGIN, { loginKey: who.email, loginValue: who.password })).json as { token: string; userId: string }
  const target = { token: login.token, arrangementType: 'Parking', productCode: '00000003', userId: login.userId }
  const catalogue = (await call(server.base, CATALOGUE, { token: login.token, arrangementType: 'Parking', userId: login.userId })).json as {
    code: string
    arrangement: { arrangementName: string; properties: { key: string; required: boolean; changeable: boolean }[] }
  }
  assert.equal(catalogue.code, '00')
  assert.equal(catalogue.arrangement.arrangementName, '停车扣费合约')
  assert.deepEqual(catalogue.arrangement.properties.map((p) => [p.key, p.required, p.changeable]), [['plate', true, false], ['billing', false, true]])

  const missing = (await call(server.base, CREATE, target)).json
  assert.deepEqual([missing.code, String(missing.desc).includes('propertyValues.plate')], ['10', true])
  assert.equal((await call(server.base, CREATE, { ...target, propertyValues: { plate: '沪A12345', billing: 'YEARLY' } })).json.code, '10')
  assert.equal((await call(server.base, CREATE, { ...target, propertyValues: { plate: '沪A12345' } })).json.code, '00')
  assert.equal((await call(server.base, MODIFY, { ...target, propertyValues: { billing: 'MONTHLY' } })).json.code, '00')
  assert.equal((await call(server.base, MODIFY, { ...target, propertyValues: { plate: '沪B00000' } })).json.code, '10')
  const detail = (await call(server.base, DETAIL, { token: login.token, arrangementType: 'Parking', productCode: '00000003', userId: login.userId })).json as {
    propertyValues: Record<string, string>
    history: { action: string; propertyValues: Record<string, string> }[]
  }
  assert.deepEqual(detail.propertyValues, { plate: '沪A12345', billing: 'MONTHLY' })
  assert.deepEqual(detail.history.map((h) => [h.action, h.propertyValues.billing]), [['OPEN', 'PER_VISIT'], ['CHANGE', 'MONTHLY']])
  // the deduction arrangement's calls are untouched by it
  assert.equal((await call(server.base, DETAIL, { ...target, arrangementType: 'Deduction' })).json.code, '00')
})

test('the browser: the new type\u2019s catalogue asks for its terms, the detail shows them, and a change is recorded', async () => {
  const page = await browser.newPage({ baseURL: server.base, locale: 'zh-CN' })
  try {
    const who = browserUser
    await page.goto('/login')
    await page.locator('input[name="email"]').fill(who.email)
    await page.locator('input[name="password"]').fill(who.password)
    await page.getByTestId('login-submit').click()
    await expect(page).toHaveURL(/\/services/)

    await page.goto('/services/open?type=Parking')
    await expect(page.getByText('停车扣费合约', { exact: false }).first()).toBeVisible()
    const card = page.locator('[data-testid="catalogue-card"][data-product-code="00000003"]')
    await card.getByTestId('catalogue-terms').locator('summary').click()
    await expect(card.getByTestId('term-billing')).toHaveValue('PER_VISIT')
    await card.getByTestId('term-plate').fill('沪C54321')
    await card.getByTestId('open-service-button').click()
    await expect(card.getByTestId('opened-badge')).toBeVisible()

    await card.getByRole('link', { name: /城市停车免密支付/ }).click()
    await expect(page).toHaveURL(/\/services\/00000003\?type=Parking$/)
    await expect(page.getByTestId('term-value-plate')).toHaveText('沪C54321')
    await expect(page.getByTestId('term-value-billing')).toHaveText('按次扣费')
    const form = page.getByTestId('change-terms-form')
    await expect(form.getByTestId('term-plate')).toHaveCount(0)
    await form.getByTestId('term-billing').selectOption('MONTHLY')
    await form.getByTestId('change-terms-submit').click()
    await expect(form.getByTestId('change-outcome')).toHaveAttribute('data-outcome', 'success')
    await expect(page.getByTestId('term-value-billing')).toHaveText('包月扣费')
    await expect(page.getByTestId('history-entry')).toHaveCount(2)
    await expect(page.getByTestId('history-entry').nth(1)).toHaveAttribute('data-action', 'CHANGE')
  } finally {
    await page.close()
  }
})
