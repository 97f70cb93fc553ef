import '@/lib/testing/fresh-database'
import { randomUUID } from 'node:crypto'
import { after, beforeEach, test } from 'node:test'
import assert from 'node:assert/strict'
import pg from 'pg'
import { config } from '@/lib/config'
import { closeDatabase, prisma } from '@/lib/db'
import { runRetention, type RetentionRun } from '@/lib/agreements/retention'
import { createUser } from '@/lib/testing/fixtures'
import { runAlone } from '@/lib/db/run-alone'

after(closeDatabase)

const tenantId = () => config().FC_TENANT_ID
const DAY = 24 * 3600 * 1000
const daysAgo = (n: number) => new Date(Date.now() - n * DAY)
const hours = (d: Date, h: number) => new Date(d.getTime() + h * 3600 * 1000)

const removed = (run: RetentionRun) => {
  assert.equal(run.skipped, false)
  return run.skipped ? undefined : run.removed
}

beforeEach(async () => {
  for (const table of ['de_refresh_token', 'de_session', 'de_login_attempt', 'de_user_ar_event', 'de_rate_limit', 'de_idempotency', 'de_webhook_outbox', 'de_webhook_attempt', 'de_sign_request']) {
    await prisma.$executeRawUnsafe(`DELETE FROM ${table}`)
  }
})

/** A session as the app leaves it: 30-minute idle window, 12-hour absolute one, `ended` if it was ended. */
async function session(userId: string, s: { created: Date; live: boolean; ended?: Date; idle?: Date; absolute?: Date }) {
  const id = randomUUID()
  await prisma.session.create({
    data: {
      tenantId: tenantId(), id, userId, liveUserId: s.live ? userId : null, channel: 'api', device: 'test',
      createdAt: s.created, lastSeenAt: s.created,
      idleExpiresAt: s.idle ?? hours(s.created, 0.5), absoluteExpiresAt: s.absolute ?? hours(s.created, 12),
      status: s.ended ? 'LOGGED_OUT' : 'ACTIVE', endReason: s.ended ? 'LOGOUT' : null, endedAt: s.ended ?? null,
    },
  })
  return id
}

async function token(sessionId: string, created: Date, spent = false) {
  const tokenHash = randomUUID().replaceAll('-', '')
  await prisma.refreshToken.create({
    data: { tenantId: tenantId(), tokenHash, sessionId, createdAt: created, expiresAt: new Date(created.getTime() + 30 * DAY), spentAt: spent ? created : null },
  })
  return tokenHash
}

/** A merchant's notification in the outbox, as delivery leaves it, with `tries` delivery attempts. */
async function notification(status: 'PENDING' | 'DELIVERED' | 'FAILED', created: Date, tries: number, delivered?: Date) {
  const row = await prisma.webhookOutbox.create({
    data: { tenantId: tenantId(), eventId: 1n, merchantId: 'M1', userId: 'U1', productCode: '00000001', arrangementNo: '00000001', status, attempts: tries, createdAt: created, deliveredAt: delivered ?? null },
  })
  for (let i = 0; i < tries; i++) {
    await prisma.webhookAttempt.create({ data: { tenantId: tenantId(), outboxId: row.id, httpStatus: 500, durationMs: 5, createdAt: created } })
  }
  return row.id
}

const attempt = (userId: string, created: Date) =>
  prisma.loginAttempt.create({ data: { tenantId: tenantId(), userId, channel: 'api', outcome: 'SUCCESS', device: 'test', createdAt: created } })

test('what is past the retention window goes; recent rows, live sessions and the deduction history stay', async () => {
  const [a, b, c, d] = [await createUser('a@example.com'), await createUser('b@example.com'), await createUser('c@example.com'), await createUser('d@example.com')]
  // gone: ended 100 days ago; timed out 100 days ago without ever being ended
  const endedLongAgo = await session(a, { created: daysAgo(100), live: false, ended: hours(daysAgo(100), 1) })
  const timedOutLongAgo = await session(b, { created: daysAgo(100), live: true })
  // kept: ended 10 days ago; ended 89 days ago (inside the window); live, however old
  const endedRecently = await session(a, { created: daysAgo(10), live: false, ended: hours(daysAgo(10), 1) })
  const endedInsideWindow = await session(c, { created: daysAgo(89), live: false, ended: hours(daysAgo(89), 1) })
  const liveForAges = await session(d, { created: daysAgo(400), live: true, idle: hours(new Date(), 0.5), absolute: hours(new Date(), 1) })

  const goneTokens = [await token(endedLongAgo, daysAgo(100), true), await token(endedLongAgo, hours(daysAgo(100), 0.25)), await token(timedOutLongAgo, daysAgo(100))]
  const orphanLongExpired = await token(randomUUID(), daysAgo(200))
  const keptTokens = [await token(endedRecently, daysAgo(10), true), await token(endedInsideWindow, daysAgo(89)), await token(liveForAges, daysAgo(1))]

  for (const when of [daysAgo(91), daysAgo(120), daysAgo(365)]) await attempt(a, when)
  for (const when of [daysAgo(89), daysAgo(1), new Date()]) await attempt(a, when)

  // the agreements' history names the sessions that are about to go, by value
  await prisma.agreementEvent.create({
    data: { tenantId: tenantId(), userId: a, productCode: '00000001', arrangementNo: '00000001', action: 'OPEN', outcomeCode: '00', sessionId: endedLongAgo, device: 'test', createdAt: daysAgo(100) },
  })
  await prisma.agreementEvent.create({
    data: { tenantId: tenantId(), userId: b, productCode: '00000001', arrangementNo: '00000001', action: 'CLOSE', outcomeCode: '00', sessionId: timedOutLongAgo, device: 'test', createdAt: daysAgo(500) },
  })
  await prisma.rateLimit.create({ data: { tenantId: tenantId(), scope: 'account', key: 'k', failures: 1, inFlight: 0, windowEndsAt: hours(new Date(), -2) } })
  await prisma.idempotencyRecord.create({ data: { tenantId: tenantId(), userId: a, key: 'old', requestHash: 'h', createdAt: daysAgo(2) } })

  // gone: delivered 100 days ago; kept: delivered 10 days ago, and what is still owed however old
  await notification('DELIVERED', daysAgo(101), 2, daysAgo(100))
  const keptNotifications = [
    await notification('DELIVERED', daysAgo(11), 1, daysAgo(10)),
    await notification('FAILED', daysAgo(200), 3),
    await notification('PENDING', daysAgo(100), 1),
  ]

  assert.deepEqual(removed(await runRetention()), {
    sessions: 2, refreshTokens: 4, loginAttempts: 3, throttleCounters: 1, idempotencyRecords: 1, deliveryAttempts: 2, deliveredNotifications: 1, finishedSignRequests: 0,
  })

  const sessions = await prisma.session.findMany({ select: { id: true } })
  assert.deepEqual(sessions.map((s) => s.id).sort(), [endedRecently, endedInsideWindow, liveForAges].sort())
  const tokens = await prisma.refreshToken.findMany({ select: { tokenHash: true } })
  assert.deepEqual(tokens.map((t) => t.tokenHash).sort(), [...keptTokens].sort())
  assert.ok(![...goneTokens, orphanLongExpired].some((t) => tokens.some((k) => k.tokenHash === t)))
  const attempts = await prisma.loginAttempt.findMany({ select: { createdAt: true } })
  assert.equal(attempts.length, 3)
  assert.ok(attempts.every((x) => x.createdAt > daysAgo(90)))
  const events = await prisma.agreementEvent.findMany({ select: { sessionId: true }, orderBy: { id: 'asc' } })
  assert.deepEqual(events.map((e) => e.sessionId), [endedLongAgo, timedOutLongAgo])

  const outbox = await prisma.webhookOutbox.findMany({ select: { id: true }, orderBy: { id: 'asc' } })
  assert.deepEqual(outbox.map((o) => o.id), keptNotifications)
  assert.deepEqual((await prisma.webhookAttempt.findMany({ select: { outboxId: true } })).map((a) => a.outboxId).sort(), [keptNotifications[0], ...Array(3).fill(keptNotifications[1]), keptNotifications[2]].sort())

  // a second run finds nothing more
  assert.deepEqual(removed(await runRetention()), {
    sessions: 0, refreshTokens: 0, loginAttempts: 0, throttleCounters: 0, idempotencyRecords: 0, deliveryAttempts: 0, deliveredNotifications: 0, finishedSignRequests: 0,
  })
})

/** A sign request as the calls leave it: `status`, ended at `finished` (none while PENDING). */
async function signRequest(status: string, created: Date, finished: Date | null) {
  const id = `sr_${randomUUID().replaceAll('-', '').slice(0, 24)}`
  await prisma.signRequest.create({
    data: {
      tenantId: tenantId(), id, merchantId: 'M1', merchantReference: id, productCode: '00000001', arrangementNo: '00000001',
      returnUrl: 'https://shop.example/back', expiresInSeconds: 900, tokenHash: id, status, createdAt: created,
      expireAt: new Date(created.getTime() + 900_000), finishedAt: finished,
    },
  })
  return id
}

test('sign requests that ended past the window go, unless their outcome is still owed to the merchant; pending ones stay', async () => {
  const gone = [await signRequest('SIGNED', daysAgo(100), daysAgo(100)), await signRequest('EXPIRED', daysAgo(200), daysAgo(200))]
  const recent = await signRequest('DECLINED', daysAgo(10), daysAgo(10))
  const pendingForAges = await signRequest('PENDING', daysAgo(300), null)
  const owed = await signRequest('CANCELLED', daysAgo(100), daysAgo(100))
  await prisma.webhookOutbox.create({
    data: { tenantId: tenantId(), signRequestId: owed, merchantId: 'M1', userId: '', productCode: '00000001', arrangementNo: '00000001', status: 'FAILED' },
  })
  const run = removed(await runRetention())
  assert.equal(run?.finishedSignRequests, 2)
  const left = await prisma.signRequest.findMany({ select: { id: true } })
  assert.deepEqual(left.map((r) => r.id).sort(), [recent, pendingForAges, owed].sort())
  assert.ok(!gone.some((id) => left.some((r) => r.id === id)))
})

test('no foreign key ties the deduction history (or anything else) to the rows the clean-up deletes', async () => {
  const rows = await prisma.$queryRaw<{ name: string }[]>`
    SELECT conname AS name FROM pg_constraint WHERE contype = 'f' AND connamespace = 'public'::regnamespace`
  assert.deepEqual(rows, [])
})

/** `count` old rows of each kind the clean-up deletes in batches, written by the database itself. */
async function oldRows(count: number) {
  const userId = await createUser(`bulk${count}@example.com`)
  await prisma.$executeRaw`
    INSERT INTO de_login_attempt (tnt_inst_id, user_id, channel, outcome, device, gmt_create)
    SELECT ${tenantId()}, ${userId}, 'web', 'SUCCESS', 'bulk', now() - interval '100 days' - make_interval(secs => i)
    FROM generate_series(1, ${count}) AS i`
  await prisma.$executeRaw`
    INSERT INTO de_session (tnt_inst_id, session_id, user_id, channel, device, gmt_create, last_seen_at,
                            idle_expires_at, absolute_expires_at, status, end_reason, ended_at)
    SELECT ${tenantId()}, 'bulk-' || i, ${userId}, 'web', 'bulk', t, t, t + interval '30 minutes', t + interval '12 hours',
           'REVOKED', 'REPLACED', t + interval '1 minute'
    FROM generate_series(1, ${count}) AS i, LATERAL (SELECT now() - interval '100 days' - make_interval(mins => i) AS t) AS x`
  await prisma.$executeRaw`
    INSERT INTO de_refresh_token (tnt_inst_id, token_hash, session_id, expires_at, spent_at, gmt_create)
    SELECT ${tenantId()}, md5('bulk' || i), 'bulk-' || i, now() - interval '70 days', NULL, now() - interval '100 days'
    FROM generate_series(1, ${count}) AS i`
}

test('with more rows than one batch holds, every old row goes', async () => {
  await oldRows(2500)
  const run = removed(await runRetention())
  assert.deepEqual(run, { sessions: 2500, refreshTokens: 2500, loginAttempts: 2500, throttleCounters: 0, idempotencyRecords: 0, deliveryAttempts: 0, deliveredNotifications: 0, finishedSignRequests: 0 })
  assert.equal(await prisma.loginAttempt.count(), 0)
  assert.equal(await prisma.session.count(), 0)
})

test('one run at a time: a run started while another is going skips, and nothing is removed twice', async () => {
  await oldRows(5000)
  const runs = await Promise.all([runRetention(), runRetention()])
  assert.equal(runs.filter((r) => r.skipped).length, 1)
  const done = runs.find((r) => !r.skipped)
  assert.equal(done && !done.skipped && done.removed.loginAttempts, 5000)
  assert.equal(await prisma.loginAttempt.count(), 0)
})

test('a run skips while the lock is held elsewhere: by another connection on PostgreSQL, by another task of this process on the embedded database', async () => {
  await oldRows(10)
  const name = `fcdeduction:retention:${tenantId()}`
  const url = config().DATABASE_URL
  let release = async () => {}
  if (url) {
    const other = new pg.Client({ connectionString: url })
    await other.connect()
    await other.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [name])
    release = async () => {
      await other.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [name])
      await other.end()
    }
  } else {
    let finish = () => {}
    const held = runAlone(name, () => new Promise<void>((resolve) => (finish = resolve)))
    release = async () => {
      finish()
      await held
    }
  }
  try {
    assert.deepEqual(await runRetention(), { skipped: true })
    assert.equal(await prisma.loginAttempt.count(), 10)
  } finally {
    await release()
  }
  assert.equal(removed(await runRetention())?.loginAttempts, 10)
})
