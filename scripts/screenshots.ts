// `npm run docs:screenshots` (after `npm run build`): the README's two pictures, taken from the
// real app so that they show what it shows today. The production build runs on a fresh
// embedded demo database of its own (a temporary folder, removed afterwards), and Chromium
// (Debian's, or CHROMIUM_PATH) signs in through the login form as a phone would:
//   docs/services.png  alice's "my deduction services" page;
//   docs/sign.png      the sign page a merchant's link opens, reached through the demo shop.
import { execFileSync, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { chromium, type Browser, type Page } from '@playwright/test'
import { DEMO_USERS } from '@/lib/admin/seed-data'

const root = path.resolve(import.meta.dirname, '..')
const out = path.join(root, 'docs')

for (const built of ['dist/server.js', '.next/BUILD_ID']) {
  if (!fs.existsSync(path.join(root, built))) {
    console.error(`screenshots: ${built} is missing; run \`npm run build\` first`)
    process.exit(1)
  }
}

/** A port nobody listens on now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer().once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo
      probe.close(() => resolve(port))
    })
  })
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fc-screenshots-'))
const port = await freePort()
const base = `http://127.0.0.1:${port}`
// the port from the seed on: the demo shop's return and receiver addresses are the app's own
const env: NodeJS.ProcessEnv = { ...process.env, PGLITE_DIR: path.join(dir, 'pglite'), DEMO_MODE: 'true', PORT: String(port), PUBLIC_URL: base }
delete env.DATABASE_URL
const tsx = path.join(root, 'node_modules/.bin/tsx')
execFileSync(tsx, ['scripts/db.ts', 'deploy'], { cwd: root, env, stdio: 'ignore' })
execFileSync(tsx, ['prisma/seed.ts', '--demo-shop'], { cwd: root, env, stdio: 'ignore' })

const server = spawn(process.execPath, ['dist/server.js'], {
  cwd: root,
  env: { ...env, NODE_ENV: 'production', AUTH_SECRET: randomBytes(32).toString('hex'), GRPC_PORT: '0', LOG_LEVEL: 'warn' },
  stdio: ['ignore', 'ignore', 'inherit'],
})
let browser: Browser | undefined
try {
  await waitForReady()
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'],
  })
  const [alice, bob] = DEMO_USERS

  const phone = () =>
    browser!.newContext({ baseURL: base, viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })

  // alice opens two services through the API, as a payment app's client would
  const login = await callApi('user.User/Login', { loginKey: alice.email, loginValue: alice.password })
  for (const productCode of ['00000001', '00000002']) {
    await callApi('deduction.Company/CreateDeductionService', { arrangementType: 'Deduction', productCode, userId: alice.id }, login.token as string)
  }

  const services = await (await phone()).newPage()
  await signIn(services, alice)
  await services.goto('/services')
  await services.getByTestId('service-card').first().waitFor()
  await shoot(services, 'services.png')

  // the shop asks for a signature; bob follows its link, signs in, and sees what he would agree to
  const sign = await (await phone()).newPage()
  await sign.goto('/demo/shop')
  await sign.getByTestId('shop-start').click()
  await sign.waitForURL(/\/demo\/shop\/orders\/sr_/)
  const link = await sign.getByTestId('shop-sign-link').getAttribute('href')
  if (!link) throw new Error('the demo shop showed no sign link')
  await sign.goto(new URL(link).pathname)
  await signIn(sign, bob)
  await sign.getByTestId('sign-confirm').waitFor()
  await shoot(sign, 'sign.png')
} finally {
  await browser?.close()
  server.kill('SIGTERM')
  await new Promise((resolve) => (server.exitCode === null ? server.once('exit', resolve) : resolve(null)))
  fs.rmSync(dir, { recursive: true, force: true })
}

async function waitForReady(): Promise<void> {
  const deadline = Date.now() + 60_000
  for (;;) {
    if (server.exitCode !== null) throw new Error(`the server exited with code ${server.exitCode}`)
    const ready = await fetch(`${base}/readyz`).then((r) => r.ok, () => false)
    if (ready) return
    if (Date.now() > deadline) throw new Error(`${base}/readyz did not answer 200 within 60 s`)
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
}

/** A Connect JSON call that must answer 00. */
async function callApi(method: string, body: object, token?: string): Promise<Record<string, unknown>> {
  const headers: Record<string, string> = { 'content-type': 'application/json' }
  if (token) headers.authorization = `Bearer ${token}`
  const answer = (await (await fetch(`${base}/api/${method}`, { method: 'POST', headers, body: JSON.stringify(body) })).json()) as Record<string, unknown>
  if (answer.code !== '00') throw new Error(`${method} answered ${JSON.stringify(answer)}`)
  return answer
}

/** Through the login form, from wherever the page is (a page that needs a session sends it there). */
async function signIn(page: Page, user: { email: string; password: string }): Promise<void> {
  if (!new URL(page.url()).pathname.startsWith('/login')) await page.goto('/login')
  await page.locator('input[name="email"]').fill(user.email)
  await page.locator('input[name="password"]').fill(user.password)
  await page.getByTestId('login-submit').click()
  await page.waitForURL((url) => url.pathname !== '/login')
}

async function shoot(page: Page, name: string): Promise<void> {
  // the fonts and images settle before the picture is taken
  await page.evaluate(() => document.fonts.ready)
  await page.screenshot({ path: path.join(out, name), animations: 'disabled' })
  console.log(`screenshots: wrote docs/${name}`)
}
