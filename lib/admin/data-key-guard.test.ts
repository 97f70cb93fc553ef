import '@/lib/testing/fresh-database'
import { after, test } from 'node:test'
import assert from 'node:assert/strict'

// an admin shell without the app's DATA_ENCRYPTION_KEY falls back to the documented
// development key: on a production database that would seal secrets the app cannot open
delete process.env.DATA_ENCRYPTION_KEY
const { closeDatabase, prisma } = await import('@/lib/db')
const { markProduction } = await import('@/lib/db/database-mark')
const { seed } = await import('@/lib/admin/seed')
const { addMerchant } = await import('@/lib/admin/merchants')
const { resealSigningSecrets, rotateSigningSecret, setWebhookEndpoint } = await import('@/lib/admin/webhooks')

after(closeDatabase)
await seed(prisma, { demoUsers: false })
const metro = await addMerchant(prisma, { name: 'Metro', products: ['00000002'] })
const bikes = await addMerchant(prisma, { name: 'Bikes', products: ['00000001'] })
// set up before the database was marked: a development database's secret
await setWebhookEndpoint(prisma, { merchantId: metro.id, url: 'https://hooks.example.com/metro' })

test('on a database marked production the development data key seals nothing: set, rotate and reseal refuse, naming the variable', async () => {
  await markProduction('the test')
  const refused = /DATA_ENCRYPTION_KEY.*development key.*marked production/s
  const before = await prisma.webhookEndpoint.findMany()
  await assert.rejects(setWebhookEndpoint(prisma, { merchantId: bikes.id, url: 'https://hooks.example.com/bikes' }), refused)
  await assert.rejects(rotateSigningSecret(prisma, { merchantId: metro.id }), refused)
  await assert.rejects(resealSigningSecrets(prisma), refused)
  assert.deepEqual(await prisma.webhookEndpoint.findMany(), before)
})
