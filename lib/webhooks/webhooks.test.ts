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
import { closeDeduction } from '@/lib/services/close-deduction'
import { openDeduction } from '@/lib/services/open-deduction'
import { actorFor, createCatalogue, createUser } from '@/lib/testing/fixtures'
import { metrics } from '@/lib/observability/metrics'
import { isPublicAddress } from '@/lib/webhooks/address-policy'
import { deliverDueEvents } from '@/lib/webhooks/deliver-outbox'
import { endpointUrlProblem } from '@/lib/webhooks/endpoint-url'
import { retryDelayMs } from '@/lib/webhooks/retry-schedule'
import { safePost, TargetRefused } from '@/lib/webhooks/safe-post'

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

before(async () => {
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`
  await createCatalogue()
  merchantId = (await addMerchant(prisma, { name: '摩拜单车', products: ['00000001'] })).id
  secret = (await setWebhookEndpoint(prisma, { merchantId, url: `${base}/hooks` })).secret ?? ''
})
after(async () => {
  receiver.close()
  await closeDatabase()
})

const verify = (r: Received, key = secret) =>
  new Webhook(key).verify(r.body, { 'webhook-id': r.id, 'webhook-timestamp': r.timestamp, 'webhook-signature': r.signature }) as { type: string; data: Record<string, string> }

/** Rounds of delivery until nothing is due now. */
async function drain() {
  for (let i = 0; i < 50; i++) if ((await deliverDueEvents()).claimed === 0) return
}

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
})

test('retry delays double from the base up to the cap, never more', () => {
  assert.equal(retryDelayMs(1, 30_000, 3_600_000, () => 0), 30_000)
  assert.equal(retryDelayMs(2, 30_000, 3_600_000, () => 0), 60_000)
  assert.equal(retryDelayMs(10, 30_000, 3_600_000, () => 0), 3_600_000)
  assert.equal(retryDelayMs(10, 30_000, 3_600_000, () => 1), 2_880_000)
  // the defaults retry for the whole 24 h window: 30 s doubling to 1 h means about 29 attempts in a day
  let elapsed = 0
  let attempts = 0
  while (elapsed < 24 * 3600_000) elapsed += retryDelayMs(++attempts, 30_000, 3_600_000, () => 0)
  assert.ok(attempts >= 25 && attempts <= 35, `${attempts} attempts`)
})

test('an attempt refuses a loopback target, by address or by a name resolving to one, unless allowed', async () => {
  const limits = { timeoutMs: 2000, maxResponseBytes: 1024, allowPrivate: false }
  const before = received.length
  await assert.rejects(safePost(`${base}/x`, {}, '{}', limits), TargetRefused)
  await assert.rejects(safePost(base.replace('127.0.0.1', 'localhost') + '/x', {}, '{}', limits), TargetRefused)
  await assert.rejects(safePost(base.replace('127.0.0.1', '[::ffff:127.0.0.1]') + '/x', {}, '{}', limits), TargetRefused)
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
  await openDeduction(user, target)
  await closeDeduction(user, target)
  await openDeduction(user, target)
  await drain()
  // only the first event was tried: the others wait behind it, so the order holds
  assert.equal(new Set(mine().map((r) => r.id)).size, 1)
  const head = await prisma.webhookOutbox.findFirst({ where: { userId: user.userId }, orderBy: { id: 'asc' } })
  assert.equal(head?.status, 'PENDING')
  assert.ok((head?.attempts ?? 0) >= 1)
  assert.equal(await prisma.webhookAttempt.count({ where: { outboxId: head?.id, httpStatus: 503 } }), head?.attempts)
  // back up: everything arrives, in order; the receiver keeps the first copy of each webhook-id
  answer = (_req, res) => res.end('ok')
  const deadline = Date.now() + 10_000
  while ((await prisma.webhookOutbox.count({ where: { userId: user.userId, status: 'PENDING' } })) > 0) {
    assert.ok(Date.now() < deadline, 'delivered within 10 s')
    await deliverDueEvents()
  }
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
  await openDeduction(user, { arrangementType: 'Deduction', productCode: '00000001', userId: user.userId })
  const row = await prisma.webhookOutbox.findFirstOrThrow({ where: { userId: user.userId } })
  // the event is 25 hours old: the next failure is the last
  await prisma.webhookOutbox.update({ where: { tenantId_id: { tenantId: row.tenantId, id: row.id } }, data: { createdAt: new Date(Date.now() - 25 * 3600_000) } })
  await drain()
  const attempts = async (outcome: string) => (await metrics.webhookAttempts.get()).values.find((v) => v.labels.outcome === outcome)?.value ?? 0
  assert.equal(await attempts('failed'), 1, 'the give-up is counted')
  assert.ok((await attempts('retry')) >= 1)
  const failed = await listFailedDeliveries(prisma, { merchantId })
  assert.deepEqual(failed.map((f) => f.id), [row.id])
  assert.match(failed[0].lastError ?? '', /500/)
  answer = (_req, res) => res.end('ok')
  assert.deepEqual(await redeliver(prisma, { id: String(row.id) }), { count: 1 })
  await drain()
  const delivered = await prisma.webhookOutbox.findUniqueOrThrow({ where: { tenantId_id: { tenantId: row.tenantId, id: row.id } } })
  assert.equal(delivered.status, 'DELIVERED')
  const copies = received.filter((r) => r.url === '/hooks' && JSON.parse(r.body).data.userId === user.userId)
  assert.ok(copies.length >= 2)
  assert.equal(new Set(copies.map((c) => c.id)).size, 1, 'one webhook-id for every attempt')
  await assert.rejects(redeliver(prisma, { id: String(row.id) }), /no failed delivery/)
})

test('after a rotation of the signing secret, both the new and the previous secret verify during the overlap', async () => {
  const user = await actorFor(await createUser('carol@example.com'))
  const previous = secret
  const rotated = await rotateSigningSecret(prisma, { merchantId, overlapHours: 1 })
  await openDeduction(user, { arrangementType: 'Deduction', productCode: '00000001', userId: user.userId })
  await drain()
  const copy = received.find((r) => r.url === '/hooks' && JSON.parse(r.body).data.userId === user.userId)
  assert.ok(copy)
  assert.equal(verify(copy, rotated.secret).type, 'agreement.opened')
  assert.equal(verify(copy, previous).type, 'agreement.opened')
  secret = rotated.secret
})
