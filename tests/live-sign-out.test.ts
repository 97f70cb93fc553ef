import { testDatabase } from '@/lib/testing/fresh-database'
// one database is enough: it runs on PostgreSQL whatever the suite's database (a private server when the suite has none)
// The live sign-out across processes, on one PostgreSQL (the test's own database when
// DATABASE_URL is set, else a private server from tests/support/own-postgres.ts):
//   - a page open in Chromium on instance A is signed out within 2 s by a login
//     on instance B, with no click (the NOTIFY crosses instances);
//   - `npm run admin -- session:revoke` (another process) ends an open page's stream;
//   - SIGTERM ends the open streams and the server exits, however many are open.
// Builds nothing: `npm run build` first.
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { after, before, test } from 'node:test'
import { chromium, type Browser } from '@playwright/test'
import { ownPostgres, type OwnPostgres } from './support/own-postgres'
import { call, root, startServer, type ServerProcess } from './support/server-process'
import { prepareDatabase, type TestUser } from './support/prepare-database'
import { webLogin } from './support/web-login'
import { queryPostgres } from './support/query-test-database'
import { LOGIN } from './support/rpc'
import { tsxCommand } from '@/lib/testing/tsx-command'

const LEARNS_WITHIN_MS = 2_000
let own: OwnPostgres | undefined
let url = ''
const secret = randomBytes(32).toString('hex')
let a: ServerProcess
let b: ServerProcess
let browser: Browser
// a user per test: each test's logins end that user's other sessions
let users: Record<'acrossInstances' | 'revoked' | 'atShutdown', TestUser>

const instance = () => startServer({ DATABASE_URL: url, PGLITE_DIR: undefined, AUTH_SECRET: secret })

before(async () => {
  if (testDatabase.kind === 'postgres') url = testDatabase.url
  else {
    own = await ownPostgres()
    url = own.url
  }
  const [acrossInstances, revoked, atShutdown] = prepareDatabase({ DATABASE_URL: url }, { users: 3 })
  users = { acrossInstances, revoked, atShutdown }
  ;[a, b, browser] = await Promise.all([
    instance(),
    instance(),
    chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
        '--disable-sync', '--no-first-run', '--disable-quic', '--disable-dev-shm-usage'],
    }),
  ])
})

after(async () => {
  await browser?.close()
  await Promise.all([a, b].map((s) => (s && !s.exited() ? s.stop('SIGKILL') : undefined)))
  own?.destroy()
})

/** A page of instance `server`, signed in as the user through the login form, with its session stream open. */
async function openPage(server: ServerProcess, user: { email: string; password: string }) {
  const context = await browser.newContext({ baseURL: server.base, locale: 'en-US' })
  const page = await context.newPage()
  await page.goto('/login')
  await page.locator('input[name="email"]').fill(user.email)
  await page.locator('input[name="password"]').fill(user.password)
  const opened = page.waitForResponse((res) => new URL(res.url()).pathname === '/api/session/events' && res.status() === 200)
  await page.getByTestId('login-submit').click()
  await page.waitForURL(/\/services/)
  await opened
  return { context, page }
}

async function liveSessionOf(userId: string): Promise<string> {
  const rows = await queryPostgres<{ id: string }>(url, 'SELECT session_id AS id FROM de_session WHERE user_id = $1 AND live_user_id IS NOT NULL', [userId])
  assert.equal(rows.length, 1)
  return rows[0].id
}

test('a page open on instance A is signed out by a login on instance B within 2 s, with no click', async () => {
  const user = users.acrossInstances
  const { context, page } = await openPage(a, user)
  const answer = await call(b.base, LOGIN, { loginKey: user.email, loginValue: user.password }, { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0' })
  assert.equal(answer.json.code, '00')
  await page.waitForURL(/\/login\?.*reason=elsewhere/, { waitUntil: 'commit', timeout: LEARNS_WITHIN_MS })
  const notice = page.getByTestId('signed-elsewhere-notice')
  await notice.waitFor()
  assert.match(await notice.innerText(), /Signed in on another device[\s\S]*Firefox/)
  await context.close()
})

test('an admin revoke from the command line ends the open page’s stream', async () => {
  const user = users.revoked
  const { context, page } = await openPage(a, user)
  const sessionId = await liveSessionOf(user.userId)
  execFileSync(...tsxCommand(['scripts/admin.ts', 'session:revoke', '--id', sessionId]), {
    cwd: root,
    env: { ...process.env, DATABASE_URL: url },
    stdio: 'pipe',
  })
  await page.waitForURL(/\/login\?.*reason=ended/, { waitUntil: 'commit', timeout: LEARNS_WITHIN_MS })
  const notice = page.getByTestId('signed-out-notice')
  await notice.waitFor()
  assert.match(await notice.innerText(), /administrator/)
  await context.close()
})

test('SIGTERM ends the open streams and the instance exits cleanly', async () => {
  const c = await instance()
  const user = users.atShutdown
  const { cookie } = await webLogin(c.base, user)
  assert.ok(cookie)
  const streams = await Promise.all(Array.from({ length: 5 }, () => fetch(`${c.base}/api/session/events`, { headers: { cookie } })))
  for (const res of streams) assert.equal(res.status, 200)
  assert.equal(await c.stop('SIGTERM'), 0, c.output().slice(-2000))
  // each stream ended without an ended event: the page reconnects, it was not signed out
  for (const res of streams) assert.doesNotMatch(await res.text(), /event: ended/)
  assert.match(c.output(), /"msg":"stopped"/)
})
