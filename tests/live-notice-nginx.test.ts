// one database is enough: it runs on PostgreSQL whatever the suite's database (a private server when the suite has none)
// The live sign-out notice through the production layout (tests/support/nginx-deployment.ts:
// two instances on one PostgreSQL behind nginx with TLS). A page left open learns that its
// session ended when the same user logs in again, whichever instance each request reaches:
//   - its event stream (GET /api/session/events, the session cookie) passes nginx unbuffered:
//     the heartbeat arrives while the stream is open;
//   - a login through nginx ends the session, and every open stream, on both instances, gets
//     `event: ended` with {reason, at, device}, then closes;
//   - the page, left alone, goes to the login page with the "signed in elsewhere" notice.
// Builds nothing: `npm run build` first.
import assert from 'node:assert/strict'
import type { IncomingMessage } from 'node:http'
import { randomUUID } from 'node:crypto'
import fs from 'node:fs'
import https from 'node:https'
import { after, before, test } from 'node:test'
import type { Browser } from '@playwright/test'
import { waitUntil } from './support/server-process'
import { prepareDatabase, type TestUser } from './support/prepare-database'
import { launchChromium, signInWithForm } from './support/chromium'
import { httpsRequest } from './support/nginx'
import { deployBehindNginx, sharedPostgres, type Deployment } from './support/nginx-deployment'
import { LOGIN } from './support/rpc'

const EVENTS = '/api/session/events'
// the stream's heartbeat comes every 15 s or so: one is awaited this long at most
const HEARTBEAT_WAIT_MS = 45_000

let database: { url: string; destroy: () => void } | undefined
let site: Deployment | undefined
let browser: Browser | undefined
let user: TestUser
const streams: EventStream[] = []

before(async () => {
  database = await sharedPostgres()
  ;[user] = prepareDatabase({ DATABASE_URL: database.url }, { users: 1 })
  site = await deployBehindNginx({ databaseUrl: database.url })
  browser = await launchChromium()
})

after(async () => {
  for (const stream of streams) stream.close()
  await browser?.close()
  await site?.stop()
  database?.destroy()
})

type EventStream = {
  requestId: string
  response?: IncomingMessage
  text: string
  closed: boolean
  close: () => void
}

/** Opens the event stream through nginx with `cookie`, as an EventSource would, and keeps what arrives. */
function openEventStream(cookie: string): EventStream {
  const requestId = randomUUID()
  const req = https.get(`${site!.base}${EVENTS}`, {
    ca: fs.readFileSync(site!.ca),
    agent: false,
    headers: { accept: 'text/event-stream', cookie, 'x-request-id': requestId },
  })
  const stream: EventStream = { requestId, text: '', closed: false, close: () => req.destroy() }
  req.on('response', (res) => {
    stream.response = res
    res.setEncoding('utf8')
    res.on('data', (chunk: string) => (stream.text += chunk))
    res.on('close', () => (stream.closed = true))
  })
  req.on('error', () => (stream.closed = true))
  streams.push(stream)
  return stream
}

/** The `ended` events in a stream's text: their parsed data. */
const endedEvents = (text: string) =>
  text
    .split(/\r?\n\r?\n/)
    .filter((block) => block.split(/\r?\n/).includes('event: ended'))
    .map((block) => JSON.parse(block.split(/\r?\n/).filter((line) => line.startsWith('data:')).map((line) => line.slice(5).trim()).join('\n')) as Record<string, unknown>)

test('a page left open learns through nginx that a login on the other instance ended its session', async () => {
  const context = await browser!.newContext({ baseURL: site!.base, ignoreHTTPSErrors: true, locale: 'zh-CN' })
  const page = await context.newPage()
  await signInWithForm(page, user)
  const session = (await context.cookies()).find((c) => c.name === '__Secure-next-auth.session-token')
  assert.ok(session, 'the browser holds a session cookie')
  const cookie = `${session.name}=${session.value}`

  // streams of the same session, one after another: nginx takes turns, so they land on both
  // instances. The page's own requests (its stream, prefetches) take turns too and may fall
  // between two of them, so six are opened, not two: all on one instance would take an odd
  // number of the page's requests in every one of five gaps.
  const open: EventStream[] = []
  for (let i = 0; i < 6; i++) {
    const stream = openEventStream(cookie)
    open.push(stream)
    await waitUntil(() => Boolean(stream.response || stream.closed), 15_000, () => 'a stream did not answer')
  }
  for (const stream of open) {
    const res = stream.response
    assert.ok(res, 'the stream answered')
    assert.equal(res.statusCode, 200, `GET ${EVENTS}: HTTP ${res.statusCode} ${stream.text.slice(0, 200)}`)
    assert.match(String(res.headers['content-type']), /^text\/event-stream/)
    assert.match(String(res.headers['cache-control']), /no-store/)
  }
  // nginx passes what the app writes as it writes it: a heartbeat arrives while the stream is open
  await waitUntil(() => open.every((s) => s.text.length > 0), HEARTBEAT_WAIT_MS, () => 'no heartbeat came through nginx while the stream was open')
  assert.ok(open.every((s) => !s.closed), 'the streams are still open')

  const relogin = await site!.call(LOGIN, { loginKey: user.email, loginValue: user.password })
  assert.equal(relogin.json.code, '00')

  // the page, left alone, goes to the login page that says why
  await page.waitForURL(/\/login\?.*reason=elsewhere/, { timeout: 10_000 })
  await page.getByTestId('signed-elsewhere-notice').waitFor()
  await context.close()

  await waitUntil(() => open.every((s) => s.closed), 10_000, () => `the streams did not close: ${open.map((s) => JSON.stringify(s.text)).join(', ')}`)
  for (const stream of open) {
    const [ended, ...more] = endedEvents(stream.text)
    assert.ok(ended, `an ended event in ${JSON.stringify(stream.text)}`)
    assert.equal(more.length, 0, 'one ended event')
    assert.equal(typeof ended.reason, 'string')
    assert.ok((ended.reason as string).length > 0, 'the reason is named')
    assert.ok(!Number.isNaN(Date.parse(String(ended.at))), `at is a time: ${String(ended.at)}`)
    assert.ok(ended.device === null || typeof ended.device === 'string', 'device is named or null')
  }
  const where = await Promise.all(open.map((s) => site!.servedBy(s.requestId)))
  assert.deepEqual(new Set(where), new Set([0, 1]), 'the streams were on both instances, so one was not where the login was')
})

test('a stream request without a session cookie is refused through nginx (401)', async () => {
  const answer = await httpsRequest(`${site!.base}${EVENTS}`, { ca: site!.ca, headers: { accept: 'text/event-stream' } })
  assert.equal(answer.status, 401)
})
