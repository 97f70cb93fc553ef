import { testDatabase } from '@/lib/testing/fresh-database'
// The demo shop (docs/merchants.md#the-demo-shop) exists on a database marked demo
// only: there its page, its return page and its webhook receiver answer; once the
// same database is marked production (admin database:mark --production) every one
// of its addresses answers 404, although the shop's merchant, key and rows are
// still in the database. The mark decides (lib/db/database-mark.ts), not the shell
// nor whether demo:seed ran.
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { after, test } from 'node:test'
import { runAdmin } from './support/merchant-setup'
import { prepareDatabase } from './support/prepare-database'
import { root, startServer, testDataEncryptionKey, type ServerProcess } from './support/server-process'
import { tsxCommand } from '@/lib/testing/tsx-command'

const dbEnv = testDatabase.kind === 'postgres' ? { DATABASE_URL: testDatabase.url } : { PGLITE_DIR: testDatabase.dir, DATABASE_URL: undefined }
const SIGN_REQUEST = 'sr_0123456789abcdef01234567'

let server: ServerProcess | undefined
after(async () => {
  if (server && !server.exited()) await server.stop('SIGKILL')
})

/** `npm run demo:seed`: the demo accounts and the demo shop (its merchant, key and receiver). */
function demoSeed() {
  const env = { ...process.env, ...dbEnv, DEMO_MODE: 'true', DATA_ENCRYPTION_KEY: testDataEncryptionKey } as NodeJS.ProcessEnv
  if (!dbEnv.DATABASE_URL) delete env.DATABASE_URL
  execFileSync(...tsxCommand(['prisma/seed.ts', '--demo-shop']), { cwd: root, env, stdio: 'pipe' })
}

const get = (path: string) => fetch(`${server?.base}${path}`, { redirect: 'manual', signal: AbortSignal.timeout(30_000) })
// an event as a merchant's receiver gets one, but signed by nobody
const unsignedEvent = () =>
  fetch(`${server?.base}/demo/shop/webhooks`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'webhook-id': 'msg_bench', 'webhook-timestamp': String(Math.floor(Date.now() / 1000)), 'webhook-signature': 'v1,AAAA' },
    body: JSON.stringify({ type: 'sign_request.signed', data: { signRequestId: SIGN_REQUEST } }),
    signal: AbortSignal.timeout(30_000),
  })

test('the demo shop answers on a database marked demo, and 404 at every address once it is marked production', async () => {
  prepareDatabase({ ...dbEnv, DEMO_MODE: 'true' })
  demoSeed()
  assert.match(runAdmin(dbEnv, ['database:mark']), /demo/)

  server = await startServer({ ...dbEnv, DEMO_MODE: 'true' })
  const page = await get('/demo/shop')
  assert.equal(page.status, 200)
  assert.match(await page.text(), /data-testid="shop-start"/, 'the shop page offers to start an order')
  const events = await get('/demo/shop/webhooks')
  assert.equal(events.status, 200)
  assert.deepEqual(await events.json(), { events: [] })
  // the receiver is there and checks signatures: an unsigned event is refused as such, and not kept
  const refused = await unsignedEvent()
  assert.equal(refused.status, 400)
  assert.match(((await refused.json()) as { error: string }).error, /signature not verified/)
  assert.deepEqual(await (await get('/demo/shop/webhooks')).json(), { events: [] })
  await server.stop()

  const marked = runAdmin(dbEnv, ['database:mark', '--production'])
  assert.match(marked, /production/)
  server = await startServer(dbEnv)
  for (const path of ['/demo/shop', `/demo/shop/return?signRequestId=${SIGN_REQUEST}&signStatus=SIGNED`, `/demo/shop/orders/${SIGN_REQUEST}`, '/demo/shop/webhooks']) {
    const res = await get(path)
    assert.equal(res.status, 404, `GET ${path}`)
    assert.doesNotMatch(await res.text(), /shop-start/, `GET ${path} shows nothing of the shop`)
  }
  const event = await unsignedEvent()
  assert.equal(event.status, 404, 'the receiver is not there either')
  await event.body?.cancel()
})
