import '@/lib/testing/fresh-database'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { config } from '@/lib/config'
import { closeDatabase, prisma } from '@/lib/db'
import { disableUser } from '@/lib/admin/disable-user'
import { revokeSession } from '@/lib/admin/revoke-session'
import { SESSION_EVENTS_PATH } from '@/lib/auth/session-events-path'
import { endedAmong, parseSessionEnded } from '@/lib/auth/session-ended'
import { endLiveSession, endSession, startSession } from '@/lib/auth/sessions'
import { sealSessionCookie, sessionCookieName } from '@/lib/auth/web-cookie'
import { createSessionEventsHandler } from '@/lib/http/session-events'
import { createSessionStreams, MAX_STREAMS_PER_SESSION } from '@/lib/http/session-streams'
import { logger } from '@/lib/observability/logger'
import { metrics } from '@/lib/observability/metrics'
import { createUser } from '@/lib/testing/fixtures'
import { waitUntil } from '@/lib/testing/wait-until'

// The stream of GET /api/session/events against this file's own database (PGlite, or
// PostgreSQL with DATABASE_URL): the trigger on de_session, the one LISTEN, the fan-out.
const streams = createSessionStreams(logger)
const events = createSessionEventsHandler(streams, logger)
const server = http.createServer((req, res) => void events.handle(req, res))
let base = ''

before(async () => {
  streams.start()
  await streams.listening()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

after(async () => {
  await events.close()
  server.closeAllConnections()
  await new Promise((resolve) => server.close(resolve))
  await closeDatabase()
})

type Event = { event: string; data: string }

/** Opens a stream with the session's cookie; `next()` reads the next event (or 'closed'). */
async function openStream(cookie: string | undefined) {
  const controller = new AbortController()
  const res = await fetch(`${base}${SESSION_EVENTS_PATH}`, {
    headers: cookie === undefined ? {} : { cookie: `${sessionCookieName()}=${cookie}` },
    signal: controller.signal,
  })
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader()
  let buffer = ''
  const next = async (): Promise<Event | 'closed'> => {
    for (;;) {
      const end = buffer.indexOf('\n\n')
      if (end >= 0) {
        const block = buffer.slice(0, end)
        buffer = buffer.slice(end + 2)
        const lines = block.split('\n')
        const event = lines.find((l) => l.startsWith('event: '))?.slice(7)
        // comments (heartbeats) and the retry hint carry no event
        if (!event) continue
        return { event, data: lines.filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n') }
      }
      const chunk = await reader.read()
      if (chunk.done) return 'closed'
      buffer += chunk.value
    }
  }
  /** The `ended` event's data, and that the stream closed after it. */
  const ended = async () => {
    const event = await next()
    assert.notEqual(event, 'closed', 'the stream closed without an ended event')
    assert.equal((event as Event).event, 'ended')
    assert.equal(await next(), 'closed', 'the stream stays open after ended')
    return JSON.parse((event as Event).data) as { reason: string; at: string; device: string | null }
  }
  return { res, next, ended, abort: () => controller.abort() }
}

async function signedIn(email: string, device = 'Chrome 140 · Linux') {
  const userId = await createUser(email)
  const session = await startSession({ userId, channel: 'web', device })
  return { userId, session, cookie: await sealSessionCookie(session) }
}

/** Polls until the condition holds (the server's side of a stream notices a client leaving asynchronously). */
const eventually = (condition: () => boolean, what: string) => waitUntil(condition, 5000, () => `not within 5 s: ${what}`, 20)

test('a stream answers as the contract says: event-stream, unbuffered, uncached; 401 without a cookie, 405 for other methods', async () => {
  const { cookie } = await signedIn('contract@example.com')
  const stream = await openStream(cookie)
  assert.equal(stream.res.status, 200)
  assert.match(stream.res.headers.get('content-type') ?? '', /^text\/event-stream/)
  assert.equal(stream.res.headers.get('cache-control'), 'no-store')
  assert.equal(stream.res.headers.get('x-accel-buffering'), 'no')
  stream.abort()

  const none = await fetch(`${base}${SESSION_EVENTS_PATH}`)
  assert.equal(none.status, 401)
  assert.match(await none.text(), /not signed in/)
  const post = await fetch(`${base}${SESSION_EVENTS_PATH}`, { method: 'POST', headers: { cookie: `${sessionCookieName()}=${cookie}` } })
  assert.equal(post.status, 405)
  assert.equal(post.headers.get('allow'), 'GET, HEAD')
  const head = await fetch(`${base}${SESSION_EVENTS_PATH}`, { method: 'HEAD', headers: { cookie: `${sessionCookieName()}=${cookie}` } })
  assert.equal(head.status, 200)
})

test('a login elsewhere ends the stream with REPLACED, the new login’s time and device', async () => {
  const { userId, cookie } = await signedIn('replaced@example.com')
  const stream = await openStream(cookie)
  await eventually(() => streams.size() >= 1, 'the stream is registered')
  const other = await startSession({ userId, channel: 'web', device: 'Mobile Safari 17.5 · iOS 17.5' })
  const ended = await stream.ended()
  const started = await prisma.session.findFirstOrThrow({ where: { id: other.id } })
  assert.deepEqual(ended, { reason: 'REPLACED', at: started.createdAt.toISOString(), device: 'Mobile Safari 17.5 · iOS 17.5' })
})

test('a logout, an admin revoke and a disabled user each end the stream, saying which', async () => {
  const loggedOut = await signedIn('logout@example.com')
  const revoked = await signedIn('revoked@example.com')
  const disabled = await signedIn('disabled@example.com')
  const [a, b, c] = await Promise.all([openStream(loggedOut.cookie), openStream(revoked.cookie), openStream(disabled.cookie)])
  await eventually(() => streams.size() >= 3, 'the streams are registered')

  await endSession(loggedOut.session.id, 'LOGOUT')
  await revokeSession(prisma, { id: revoked.session.id })
  await disableUser(prisma, { email: 'disabled@example.com' })

  const [endedA, endedB, endedC] = await Promise.all([a.ended(), b.ended(), c.ended()])
  assert.equal(endedA.reason, 'LOGOUT')
  assert.equal(endedA.device, null)
  const row = await prisma.session.findUniqueOrThrow({ where: { tenantId_id: { tenantId: config().FC_TENANT_ID, id: loggedOut.session.id } } })
  assert.equal(endedA.at, row.endedAt?.toISOString())
  assert.equal(endedB.reason, 'ADMIN')
  assert.equal(endedC.reason, 'ADMIN')
})

test('every stream of the session ends, and only those', async () => {
  const one = await signedIn('tabs@example.com')
  const two = await signedIn('bystander@example.com')
  const tabs = await Promise.all([openStream(one.cookie), openStream(one.cookie), openStream(one.cookie)])
  const bystander = await openStream(two.cookie)
  await eventually(() => streams.size() >= 4, 'the streams are registered')
  await endSession(one.session.id, 'LOGOUT')
  for (const tab of tabs) assert.equal((await tab.ended()).reason, 'LOGOUT')
  // the bystander's stream is still open: its own end is the first event it gets
  await endSession(two.session.id, 'LOGOUT')
  assert.equal((await bystander.ended()).reason, 'LOGOUT')
})

test('a change that does not end the session, or an end that rolls back, sends nothing', async () => {
  const { session, cookie } = await signedIn('quiet@example.com')
  const stream = await openStream(cookie)
  await eventually(() => streams.size() >= 1, 'the stream is registered')
  const tenantId = config().FC_TENANT_ID
  await prisma.session.update({ where: { tenantId_id: { tenantId, id: session.id } }, data: { lastSeenAt: new Date() } })
  await assert.rejects(
    prisma.$transaction(async (tx) => {
      await endLiveSession(tx, session.id, 'LOGOUT')
      throw new Error('roll back')
    }),
    /roll back/,
  )
  await revokeSession(prisma, { id: session.id })
  assert.equal((await stream.ended()).reason, 'ADMIN')
})

test('an ended, unknown or forged session gets ended at once', async () => {
  const { session, cookie } = await signedIn('already@example.com')
  await endSession(session.id, 'LOGOUT')
  assert.equal((await (await openStream(cookie)).ended()).reason, 'LOGOUT')
  const forged = await openStream('not-a-sealed-cookie')
  assert.equal(forged.res.status, 200)
  assert.equal((await forged.ended()).reason, 'MISSING')
  const unknown = await openStream(await sealSessionCookie({ id: '00000000-0000-4000-8000-000000000000', userId: 'U1' }))
  assert.equal((await unknown.ended()).reason, 'MISSING')
})

test('a session that times out while its page is open ends the stream, though nothing wrote to it', async () => {
  const { session, cookie } = await signedIn('timeout@example.com')
  const tenantId = config().FC_TENANT_ID
  await prisma.session.update({ where: { tenantId_id: { tenantId, id: session.id } }, data: { idleExpiresAt: new Date(Date.now() + 300) } })
  const stream = await openStream(cookie)
  assert.equal((await stream.ended()).reason, 'IDLE_TIMEOUT')
  const row = await prisma.session.findUniqueOrThrow({ where: { tenantId_id: { tenantId, id: session.id } } })
  assert.equal(row.endReason, 'IDLE_TIMEOUT', 'the check ended the row too')
})

test('a client that goes away leaves no stream behind', async () => {
  const before = streams.size()
  const { cookie } = await signedIn('leaving@example.com')
  const stream = await openStream(cookie)
  await eventually(() => streams.size() === before + 1, 'the stream is registered')
  stream.abort()
  await eventually(() => streams.size() === before, 'the stream is removed')
})

test('another tenant’s notification, or a malformed one, is not ours', () => {
  const payload = { tenant: config().FC_TENANT_ID, session: 's1', reason: 'ADMIN', at: '2026-12-01T10:00:00+08:00', device: null }
  assert.deepEqual(parseSessionEnded(JSON.stringify(payload)), { sessionId: 's1', ended: { reason: 'ADMIN', at: '2026-12-01T02:00:00.000Z', device: null } })
  assert.equal(parseSessionEnded(JSON.stringify({ ...payload, tenant: 'FC999999' })), null)
  assert.equal(parseSessionEnded('{"tenant":'), null)
  assert.equal(parseSessionEnded(JSON.stringify({ tenant: config().FC_TENANT_ID })), null)
})

test('an open stream carries a comment heartbeat, and a stream of a live session nothing else', async () => {
  const beating = createSessionStreams(logger, { heartbeatMs: 50 })
  const handler = createSessionEventsHandler(beating, logger)
  const beatingServer = http.createServer((req, res) => void handler.handle(req, res))
  await new Promise<void>((resolve) => beatingServer.listen(0, '127.0.0.1', resolve))
  const { cookie } = await signedIn('heartbeat@example.com')
  const res = await fetch(`http://127.0.0.1:${(beatingServer.address() as AddressInfo).port}${SESSION_EVENTS_PATH}`, { headers: { cookie: `${sessionCookieName()}=${cookie}` } })
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader()
  let text = ''
  while ((text.match(/: heartbeat\n\n/g) ?? []).length < 2) text += (await reader.read()).value ?? ''
  assert.doesNotMatch(text, /event:/)
  await handler.close()
  await new Promise((resolve) => beatingServer.close(resolve))
})

test('shutdown ends the open streams without an ended event, and refuses new ones', async () => {
  const ownStreams = createSessionStreams(logger)
  const own = createSessionEventsHandler(ownStreams, logger)
  const ownServer = http.createServer((req, res) => void own.handle(req, res))
  ownStreams.start()
  await ownStreams.listening()
  await new Promise<void>((resolve) => ownServer.listen(0, '127.0.0.1', resolve))
  const ownBase = `http://127.0.0.1:${(ownServer.address() as AddressInfo).port}`
  const { cookie } = await signedIn('shutdown@example.com')
  const res = await fetch(`${ownBase}${SESSION_EVENTS_PATH}`, { headers: { cookie: `${sessionCookieName()}=${cookie}` } })
  await eventually(() => ownStreams.size() === 1, 'the stream is registered')
  await own.close()
  // the whole body: the retry hint only, no ended event (the page reconnects elsewhere)
  assert.equal(await res.text(), 'retry: 2000\n\n')
  const refused = await fetch(`${ownBase}${SESSION_EVENTS_PATH}`, { headers: { cookie: `${sessionCookieName()}=${cookie}` } })
  assert.equal(refused.status, 503)
  await new Promise((resolve) => ownServer.close(resolve))
})

test('catching up after the LISTEN was lost finds the ended, the timed-out and the vanished sessions, and not the live', async () => {
  const live = await signedIn('catchup-live@example.com')
  const revoked = await signedIn('catchup-revoked@example.com')
  const idle = await signedIn('catchup-idle@example.com')
  await revokeSession(prisma, { id: revoked.session.id })
  const tenantId = config().FC_TENANT_ID
  await prisma.session.update({ where: { tenantId_id: { tenantId, id: idle.session.id } }, data: { idleExpiresAt: new Date(Date.now() - 1000) } })
  const vanished = '00000000-0000-4000-8000-00000000000f'
  const found = await endedAmong([live.session.id, revoked.session.id, idle.session.id, vanished])
  assert.deepEqual([...found.keys()].sort(), [revoked.session.id, idle.session.id, vanished].sort())
  assert.equal(found.get(revoked.session.id)?.reason, 'ADMIN')
  assert.equal(found.get(idle.session.id)?.reason, 'IDLE_TIMEOUT')
  assert.equal(found.get(vanished)?.reason, 'MISSING')
})

test('one session holds at most MAX_STREAMS_PER_SESSION streams: the next is refused with 429 until one closes; other sessions are not affected', async () => {
  const { cookie } = await signedIn('many-tabs@example.com')
  const before = streams.size()
  // the gauge counts this process's streams, whichever test opened them
  const openStreams = async () => (await metrics.sessionStreams.get()).values[0]?.value ?? 0
  const gaugeBefore = await openStreams()
  const open = []
  for (let i = 0; i < MAX_STREAMS_PER_SESSION; i++) open.push(await openStream(cookie))
  assert.ok(open.every((s) => s.res.status === 200))
  await eventually(() => streams.size() === before + MAX_STREAMS_PER_SESSION, 'the streams are registered')
  assert.equal(await openStreams(), gaugeBefore + MAX_STREAMS_PER_SESSION)

  const refused = await fetch(`${base}${SESSION_EVENTS_PATH}`, { headers: { cookie: `${sessionCookieName()}=${cookie}` } })
  assert.equal(refused.status, 429)
  assert.ok(Number(refused.headers.get('retry-after')) > 0)
  assert.match(await refused.text(), /too many/)
  assert.equal(streams.size(), before + MAX_STREAMS_PER_SESSION)

  const other = await signedIn('one-tab@example.com')
  const otherStream = await openStream(other.cookie)
  assert.equal(otherStream.res.status, 200)

  // one page closes (the other session's stream makes up the count): room for one more
  open.pop()!.abort()
  await eventually(() => streams.size() === before + MAX_STREAMS_PER_SESSION, 'the closed stream is removed')
  const again = await openStream(cookie)
  assert.equal(again.res.status, 200)
  for (const s of [...open, again, otherStream]) s.abort()
  await eventually(() => streams.size() === before, 'the streams are removed')
  assert.equal(await openStreams(), gaugeBefore)
})
