import '@/lib/testing/fresh-database'
import '@/lib/testing/webhook-test-env'
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { Webhook } from 'standardwebhooks'
import { prisma, closeDatabase } from '@/lib/db'
import { addMerchant } from '@/lib/admin/merchants'
import { listFailedDeliveries, redeliver, rotateSigningSecret, setWebhookEndpoint } from '@/lib/admin/webhooks'
import { closeAgreement } from '@/lib/agreements/close-agreement'
import { openAgreement } from '@/lib/agreements/open-agreement'
import { actorFor, createCatalogue, createUser } from '@/lib/testing/fixtures'
import { metrics } from '@/lib/observability/metrics'
import { isPublicAddress } from '@/lib/webhooks/address-policy'
import { logger } from '@/lib/observability/logger'
import { config } from '@/lib/config'
import { startDelivery } from '@/lib/webhooks/delivery-loop'
import { endpointUrlProblem } from '@/lib/webhooks/endpoint-url'
import { deliveryJobId } from '@/lib/webhooks/outbox-relay'
import { deliveryQueueOptions } from '@/lib/webhooks/queue-settings'
import { safePost, TargetRefused } from '@/lib/webhooks/safe-post'
import { waitUntil } from '@/lib/testing/wait-until'

type Received = { id: string; timestamp: string; signature: string; body: string; url: string }
let answer: (req: http.IncomingMessage, res: http.ServerResponse) => void = (_req, res) => res.end('ok')
const received: Received[] = []
const receiver = http.createServer((req, res) => {
  let body = ''
  req.on('data', (chunk: Buffer) => (body += chunk.toString()))
  req.on('end', () => {
    received.push({
      id: String(req.headers['webhook-id']),
      timestamp: String(req.headers['webhook-timestamp']),
      signature: String(req.headers['webhook-signature']),
      body,
      url: req.url ?? '',
    })
    answer(req, res)
  })
})
let base = ''
let merchantId = ''
let secret = ''
let delivery: ReturnType<typeof startDelivery> | undefined

before(async () => {
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`
  await createCatalogue()
  merchantId = (await addMerchant(prisma, { name: '摩拜单车', products: ['00000001'] })).id
  secret = (await setWebhookEndpoint(prisma, { merchantId, url: `${base}/hooks` })).secret ?? ''
  // the relay and pg-boss's workers, as the app runs them
  delivery = startDelivery(logger.child({ component: 'webhooks' }))
  await delivery.started
})
after(async () => {
  await delivery?.stop()
  receiver.close()
  await closeDatabase()
})

const verify = (r: Received, key = secret) =>
  new Webhook(key).verify(r.body, { 'webhook-id': r.id, 'webhook-timestamp': r.timestamp, 'webhook-signature': r.signature }) as { type: string; data: Record<string, string> }

/** Checks `done` until it holds, or fails after `ms`. */
const waitFor = (what: string, done: () => Promise<boolean>, ms = 20_000) => waitUntil(done, ms, () => `${what} within ${ms / 1000} s`)

test('public and private addresses', () => {
  for (const a of ['127.0.0.1', '10.1.2.3', '172.16.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', '::', 'fe80::1', 'fd00::1', '::ffff:127.0.0.1', '224.0.0.1', 'not an ip']) {
    assert.equal(isPublicAddress(a), false, a)
  }
  for (const a of ['8.8.8.8', '1.1.1.1', '2606:4700:4700::1111', '::ffff:8.8.8.8']) assert.equal(isPublicAddress(a), true, a)
})

test('endpoint URLs: https in production, no private literal addresses unless allowed', () => {
  const prod = { production: true, allowPrivate: false }
  assert.equal(endpointUrlProblem('https://hooks.example.com/fc', prod), undefined)
  assert.match(endpointUrlProblem('http://hooks.example.com/fc', prod) ?? '', /https/)
  assert.match(endpointUrlProblem('https://127.0.0.1/fc', prod) ?? '', /private/)
  assert.match(endpointUrlProblem('https://[::1]/fc', prod) ?? '', /private/)
  assert.match(endpointUrlProblem('https://169.254.169.254/latest', prod) ?? '', /private/)
  assert.match(endpointUrlProblem('https://user:pw@hooks.example.com/', prod) ?? '', /user name/)
  assert.match(endpointUrlProblem('ftp://hooks.example.com/', prod) ?? '', /https/)
  assert.match(endpointUrlProblem('hooks.example.com', prod) ?? '', /absolute/)
  assert.equal(endpointUrlProblem('http://127.0.0.1:9/fc', { production: true, allowPrivate: true }), undefined)
  for (const carried of ['[::127.0.0.1]', '[::ffff:a9fe:a9fe]', '[2002:c0a8:101::1]', '[64:ff9b:1::808:808]', '[100:0:0:1::1]']) {
    assert.match(endpointUrlProblem(`https://${carried}/fc`, prod) ?? '', /private/, carried)
  }
})

test('the delivery queue: in order per agreement, backoff from the base to the cap, retries that outlast the window', () => {
  const production = deliveryQueueOptions({ ...config(), WEBHOOK_RETRY_BASE_MS: 30_000, WEBHOOK_RETRY_MAX_MS: 3_600_000, WEBHOOK_RETRY_WINDOW_SECONDS: 86_400 })
  assert.equal(production.policy, 'key_strict_fifo')
  assert.deepEqual([production.retryBackoff, production.retryDelay, production.retryDelayMax], [true, 30, 3600])
  // pg-boss's shortest delay is half the base: even then its retries last past the 24 h window
  assert.ok(((production.retryLimit ?? 0) * (production.retryDelay ?? 0)) / 2 >= 86_400)
  // pg-boss counts whole seconds: the tests' milliseconds become its shortest delay
  const quick = deliveryQueueOptions({ ...config(), WEBHOOK_RETRY_BASE_MS: 50, WEBHOOK_RETRY_MAX_MS: 200 })
  assert.deepEqual([quick.retryDelay, quick.retryDelayMax], [1, 1])
  // the jobs of one relay round sort as the outbox does
  const ids = [1n, 2n, 255n, 256n, 70_000n, 2n ** 40n].map(deliveryJobId)
  assert.deepEqual([...ids].sort(), ids)
  assert.match(ids[0], /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/)
})

test('an attempt refuses a loopback target, by address or by a name resolving to one, unless allowed', async () => {
  const limits = { timeoutMs: 2000, maxResponseBytes: 1024, allowPrivate: false }
  const before = received.length
  await assert.rejects(safePost(`${base}/x`, {}, '{}', limits), TargetRefused)
  await assert.rejects(safePost(base.replace('127.0.0.1', 'localhost') + '/x', {}, '{}', limits), TargetRefused)
  await assert.rejects(safePost(base.replace('127.0.0.1', '[::ffff:127.0.0.1]') + '/x', {}, '{}', limits), TargetRefused)
  // the same loopback address carried inside IPv6 (IPv4-compatible, 6to4, NAT64)
  for (const carried of ['[::127.0.0.1]', '[2002:7f00:1::1]', '[64:ff9b::127.0.0.1]']) {
    await assert.rejects(safePost(base.replace('127.0.0.1', carried) + '/x', {}, '{}', limits), TargetRefused, carried)
  }
  assert.equal(received.length, before, 'nothing reached the receiver')
})

test('an attempt does not follow redirects, stops reading at the cap, and gives up at the timeout', async () => {
  const limits = { timeoutMs: 500, maxResponseBytes: 1024, allowPrivate: true }
  answer = (req, res) => {
    if (req.url === '/redirect') return res.writeHead(302, { location: '/elsewhere' }).end()
    if (req.url === '/endless') {
      res.writeHead(200)
      const chunk = Buffer.alloc(4096, 'x')
      const pump = () => { while (res.write(chunk)); }
      res.on('drain', pump)
      return pump()
    }
    if (req.url === '/silent') return // never answers
    res.end('ok')
  }
  assert.deepEqual(await safePost(`${base}/redirect`, {}, '{}', limits), { status: 302 })
  assert.ok(!received.some((r) => r.url === '/elsewhere'))
  assert.deepEqual(await safePost(`${base}/endless`, {}, '{}', limits), { status: 200 })
  await assert.rejects(safePost(`${base}/silent`, {}, '{}', limits), /no complete answer within 500 ms/)
  answer = (_req, res) => res.end('ok')
})

test('open and close are delivered in order, signed per Standard Webhooks; a receiver that is down gets them later, once each', async () => {
  const user = await actorFor(await createUser('alice@example.com'))
  const target = { arrangementType: 'Deduction', productCode: '00000001', userId: user.userId }
  const mine = () => received.filter((r) => r.url === '/hooks' && JSON.parse(r.body).data.userId === user.userId)
  answer = (_req, res) => res.writeHead(503).end('down')
  await openAgreement(user, target)
  await closeAgreement(user, target)
  await openAgreement(user, target)
  const head = () => prisma.webhookOutbox.findFirstOrThrow({ where: { userId: user.userId }, orderBy: { id: 'asc' } })
  await waitFor('two failed attempts of the first event', async () => (await head()).attempts >= 2)
  // only the first event was tried, twice (pg-boss retried it): the others wait behind it, so the order holds
  assert.equal(new Set(mine().map((r) => r.id)).size, 1)
  const first = await head()
  assert.equal(first.status, 'PENDING')
  assert.ok(first.jobId, 'handed to the job queue')
  assert.equal(await prisma.webhookAttempt.count({ where: { outboxId: first.id, httpStatus: 503 } }), first.attempts)
  // back up: everything arrives, in order; the receiver keeps the first copy of each webhook-id
  answer = (_req, res) => res.end('ok')
  await waitFor('all three delivered', async () => (await prisma.webhookOutbox.count({ where: { userId: user.userId, status: 'PENDING' } })) === 0)
  const firstCopies = [...new Map(mine().map((r) => [r.id, r])).values()]
  const events = firstCopies.map((r) => verify(r))
  assert.deepEqual(events.map((e) => e.type), ['agreement.opened', 'agreement.closed', 'agreement.opened'])
  assert.deepEqual(events.map((e) => e.data.actorType), ['USER', 'USER', 'USER'])
  const ids = events.map((e) => BigInt(e.data.eventId))
  assert.deepEqual([...ids].sort((a, b) => (a < b ? -1 : 1)), ids, 'in the order of the history')
  // a tampered body fails verification
  assert.throws(() => verify({ ...firstCopies[0], body: firstCopies[0].body.replace('opened', 'closed') }))
})

test('past the retry window a delivery is marked failed; the admin lists it and sends it again under the same webhook-id', async () => {
  const user = await actorFor(await createUser('bob@example.com'))
  answer = (_req, res) => res.writeHead(500).end()
  await openAgreement(user, { arrangementType: 'Deduction', productCode: '00000001', userId: user.userId })
  const row = await prisma.webhookOutbox.findFirstOrThrow({ where: { userId: user.userId } })
  const where = { tenantId_id: { tenantId: row.tenantId, id: row.id } }
  await waitFor('a failed attempt', async () => (await prisma.webhookOutbox.findUniqueOrThrow({ where })).attempts >= 1)
  // the window ends now: the next failure is the last
  await prisma.webhookOutbox.update({ where, data: { retryUntil: new Date(Date.now() - 1000) } })
  await waitFor('given up on', async () => (await prisma.webhookOutbox.findUniqueOrThrow({ where })).status === 'FAILED')
  const attempts = async (outcome: string) => (await metrics.webhookAttempts.get()).values.find((v) => v.labels.outcome === outcome)?.value ?? 0
  assert.equal(await attempts('failed'), 1, 'the give-up is counted')
  assert.ok((await attempts('retry')) >= 1)
  const failed = await listFailedDeliveries(prisma, { merchantId })
  assert.deepEqual(failed.map((f) => f.id), [row.id])
  assert.match(failed[0].lastError ?? '', /500/)
  answer = (_req, res) => res.end('ok')
  assert.deepEqual(await redeliver(prisma, { id: String(row.id) }), { count: 1 })
  await waitFor('delivered after the redelivery', async () => (await prisma.webhookOutbox.findUniqueOrThrow({ where })).status === 'DELIVERED')
  const copies = received.filter((r) => r.url === '/hooks' && JSON.parse(r.body).data.userId === user.userId)
  assert.ok(copies.length >= 2)
  assert.equal(new Set(copies.map((c) => c.id)).size, 1, 'one webhook-id for every attempt')
  await assert.rejects(redeliver(prisma, { id: String(row.id) }), /no failed delivery/)
})

test('after a rotation of the signing secret, both the new and the previous secret verify during the overlap', async () => {
  const user = await actorFor(await createUser('carol@example.com'))
  const previous = secret
  const rotated = await rotateSigningSecret(prisma, { merchantId, overlapHours: 1 })
  await openAgreement(user, { arrangementType: 'Deduction', productCode: '00000001', userId: user.userId })
  await waitFor('delivered', async () => received.some((r) => r.url === '/hooks' && JSON.parse(r.body).data.userId === user.userId))
  const copy = received.find((r) => r.url === '/hooks' && JSON.parse(r.body).data.userId === user.userId)
  assert.ok(copy)
  assert.equal(verify(copy, rotated.secret).type, 'agreement.opened')
  assert.equal(verify(copy, previous).type, 'agreement.opened')
  secret = rotated.secret
})
