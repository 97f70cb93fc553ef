import { testDatabase } from '@/lib/testing/fresh-database'
import '@/lib/testing/webhook-test-env'
import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { Webhook } from 'standardwebhooks'
import { waitFor } from '@/lib/testing/wait-until'

// Webhook signing secrets cannot be hashed (the app signs with them): they are sealed
// with the data encryption key (AES-256-GCM), and neither a row nor a file of the
// database holds them in clear. This file's process runs with a current key and a
// previous one, as during a rotation of the data key.
const previousKey = randomBytes(32)
const currentKey = randomBytes(32)
process.env.DATA_ENCRYPTION_KEY = currentKey.toString('hex')
process.env.DATA_ENCRYPTION_PREVIOUS_KEYS = previousKey.toString('base64')

const { prisma, closeDatabase, runStatement } = await import('@/lib/db')
const { config } = await import('@/lib/config')
const { addMerchant } = await import('@/lib/admin/merchants')
const { resealSigningSecrets, rotateSigningSecret, setWebhookEndpoint } = await import('@/lib/admin/webhooks')
const { openAgreement } = await import('@/lib/agreements/open-agreement')
const { closeAgreement } = await import('@/lib/agreements/close-agreement')
const { actorFor, createCatalogue, createUser } = await import('@/lib/testing/fixtures')
const { logger } = await import('@/lib/observability/logger')
const { startDelivery } = await import('@/lib/webhooks/delivery-loop')
const { dataKeyId, keyringOf } = await import('@/lib/sealing/data-keys')
const { openSigningSecret, sealSigningSecret } = await import('@/lib/webhooks/signing-secret')

type Received = { id: string; timestamp: string; signature: string; body: string }
const received: Received[] = []
const receiver = http.createServer((req, res) => {
  let body = ''
  req.on('data', (chunk: Buffer) => (body += chunk.toString()))
  req.on('end', () => {
    received.push({ id: String(req.headers['webhook-id']), timestamp: String(req.headers['webhook-timestamp']), signature: String(req.headers['webhook-signature']), body })
    res.end('ok')
  })
})
let url = ''
let busMerchantId = ''
let delivery: ReturnType<typeof startDelivery> | undefined

before(async () => {
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve))
  url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`
  await createCatalogue()
})
after(async () => {
  await delivery?.stop()
  receiver.close()
  await closeDatabase()
})

const tenantId = () => config().FC_TENANT_ID
type EndpointRow = Record<string, unknown>
const endpointRows = () => runStatement<EndpointRow>('SELECT * FROM de_webhook_endpoint ORDER BY merchant_id', [])
const endpointRow = async (merchantId: string) => (await endpointRows()).find((r) => r.merchant_id === merchantId)
/** The base64 body of a `whsec_…` secret: what a receiver would also accept as the secret. */
const body = (secret: string) => secret.slice('whsec_'.length)

/** Every file under `dir` whose bytes contain `text`. */
function filesContaining(dir: string, text: string): string[] {
  const needle = Buffer.from(text)
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name))
    .filter((file) => fs.readFileSync(file).includes(needle))
}

/** Waits until an event of `userId` reaches the receiver, and returns the first copy. */
const deliveredFor = (userId: string): Promise<Received> =>
  waitFor(() => received.find((r) => (JSON.parse(r.body) as { data: { userId: string } }).data.userId === userId), 20_000, () => `a webhook for ${userId} within 20 s`)

const verify = (r: Received, secret: string) =>
  (new Webhook(secret).verify(r.body, { 'webhook-id': r.id, 'webhook-timestamp': r.timestamp, 'webhook-signature': r.signature }) as { type: string }).type

test('a new webhook endpoint leaves no whsec_ secret, nor its base64 body, in the table or the data folder', async () => {
  const merchantId = (await addMerchant(prisma, { name: '摩拜单车', products: ['00000001'] })).id
  const { secret } = await setWebhookEndpoint(prisma, { merchantId, url })
  assert.match(secret ?? '', /^whsec_[A-Za-z0-9+/]{43}=$/, 'shown once to the operator, in the Standard Webhooks form')
  const rotated = await rotateSigningSecret(prisma, { merchantId, overlapHours: 1 })
  const everything = JSON.stringify(await endpointRows())
  for (const text of ['whsec_', body(secret ?? ''), body(rotated.secret)]) assert.ok(!everything.includes(text), `the rows hold ${text}: ${everything}`)
  if (testDatabase.kind === 'pglite') {
    await runStatement('CHECKPOINT', [])
    for (const text of ['whsec_', body(secret ?? ''), body(rotated.secret)]) {
      assert.deepEqual(filesContaining(config().PGLITE_DIR, text), [], `files of the data folder holding ${text}`)
    }
  } else {
    // what a backup of the production database holds
    const dump = execFileSync('pg_dump', ['--data-only', '--table=de_webhook_endpoint', testDatabase.url], { encoding: 'utf8' })
    assert.match(dump, new RegExp(merchantId), 'the dump has the endpoint')
    for (const text of ['whsec_', body(secret ?? ''), body(rotated.secret)]) assert.ok(!dump.includes(text), `pg_dump holds ${text}`)
  }
})

test('a secret stored in plain text by an earlier release is delivered with, then sealed by the re-seal and still verifies', async () => {
  const merchantId = (busMerchantId = (await addMerchant(prisma, { name: '上海公共交通乘车码', products: ['00000002'] })).id)
  const secret = `whsec_${randomBytes(32).toString('base64')}`
  await runStatement('INSERT INTO de_webhook_endpoint (tnt_inst_id, merchant_id, url, signing_secret) VALUES ($1, $2, $3, $4)', [tenantId(), merchantId, url, secret])
  delivery = startDelivery(logger.child({ component: 'webhooks' }))
  await delivery.started
  // no window: the plain row is delivered as before, until it is sealed
  const early = await actorFor(await createUser('early@example.com'))
  await openAgreement(early, { arrangementType: 'Deduction', productCode: '00000002', userId: early.userId })
  assert.equal(verify(await deliveredFor(early.userId), secret), 'agreement.opened')

  const result = await resealSigningSecrets(prisma)
  assert.ok(result.resealed >= 1)
  const row = await endpointRow(merchantId)
  assert.equal(row?.signing_secret, null, 'the plain column is emptied')
  assert.equal(row?.secret_key_id, dataKeyId(currentKey))
  assert.ok(!JSON.stringify(row).includes(body(secret)))
  const late = await actorFor(await createUser('late@example.com'))
  await openAgreement(late, { arrangementType: 'Deduction', productCode: '00000002', userId: late.userId })
  assert.equal(verify(await deliveredFor(late.userId), secret), 'agreement.opened')
})

test('after the data key is rotated, secrets sealed with the previous key still sign, and the re-seal moves them all to the current key', async () => {
  const user = await actorFor(await createUser('rotation@example.com'))
  const merchantId = busMerchantId
  const secret = `whsec_${randomBytes(32).toString('base64')}`
  // written while the previous key was the current one
  const sealed = sealSigningSecret(keyringOf(previousKey), secret, { tenantId: tenantId(), merchantId })
  await runStatement('UPDATE de_webhook_endpoint SET sealed_secret = $1, secret_key_id = $2 WHERE tnt_inst_id = $3 AND merchant_id = $4', [
    sealed.sealed, sealed.keyId, tenantId(), merchantId,
  ])
  await openAgreement(user, { arrangementType: 'Deduction', productCode: '00000002', userId: user.userId })
  assert.equal(verify(await deliveredFor(user.userId), secret), 'agreement.opened')

  const result = await resealSigningSecrets(prisma)
  assert.ok(result.resealed >= 1, JSON.stringify(result))
  const keyIds = (await endpointRows()).flatMap((r) => [r.secret_key_id, r.previous_key_id]).filter((id) => id !== null)
  assert.deepEqual([...new Set(keyIds)], [dataKeyId(currentKey)], 'every sealed secret is under the current key')
  assert.deepEqual(await resealSigningSecrets(prisma), { resealed: 0 }, 'a second run has nothing to do')
  // the previous key can now go: the current one alone opens every secret, and deliveries still verify
  const row = await endpointRow(merchantId)
  const resealed = { sealed: String(row?.sealed_secret), keyId: String(row?.secret_key_id) }
  assert.equal(openSigningSecret(keyringOf(currentKey), resealed, { tenantId: tenantId(), merchantId }), secret)
  assert.throws(() => openSigningSecret(keyringOf(previousKey), resealed, { tenantId: tenantId(), merchantId }), /not configured/)
  assert.throws(() => openSigningSecret(keyringOf(currentKey), resealed, { tenantId: tenantId(), merchantId: 'M0000000000000000' }), /does not open/, "another row's context")
  await closeAgreement(user, { arrangementType: 'Deduction', productCode: '00000002', userId: user.userId })
  const closed = await waitFor(() => received.find((r) => r.body.includes('agreement.closed') && r.body.includes(user.userId)), 20_000, () => 'the close delivered within 20 s')
  assert.equal(verify(closed, secret), 'agreement.closed')
})
