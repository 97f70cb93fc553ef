import { testDatabase } from '@/lib/testing/fresh-database'
// A write that reaches a read-only server (a standby the endpoint led to before a
// promotion, or an old primary come back as a standby) is refused without being
// done: it answers code 99 / HTTP 503, safe to retry; and the connection that found
// the standby is not reused, so the retry goes through the endpoint again, to the
// primary (docs/operations.md#database-failover).
import { after, test } from 'node:test'
import assert from 'node:assert/strict'
import { Code } from '@connectrpc/connect'
import pg from 'pg'
import { closeDatabase, prisma } from '@/lib/db'
import { createDatabase } from '@/lib/db/client'
import { isDatabaseUnavailable } from '@/lib/db/unavailable'
import { unanswered } from '@/lib/rpc/unanswered'

after(closeDatabase)

const write = (tx: { $executeRawUnsafe: (sql: string) => Promise<number> }) => tx.$executeRawUnsafe('CREATE TEMP TABLE standby_probe (x int) ON COMMIT DROP')

test('a write refused as read-only is "unavailable": code 99 / HTTP 503, safe to retry', async () => {
  const refused = await prisma
    .$transaction(async (tx) => {
      await tx.$executeRawUnsafe('SET TRANSACTION READ ONLY')
      await write(tx)
    })
    .then(() => undefined, (error: unknown) => error)
  assert.ok(refused, 'the write was refused')
  assert.ok(isDatabaseUnavailable(refused), `unavailable: ${String(refused)}`)
  assert.equal(unanswered(refused, 'r1').code, Code.Unavailable)
})

// a pool is PostgreSQL's; the embedded database has its one connection and no standby
if (testDatabase.kind === 'postgres') test('a pooled connection that found a read-only server is dropped, not reused', async () => {
  assert.equal(testDatabase.kind, 'postgres')
  const admin = new pg.Client({ connectionString: testDatabase.url })
  await admin.connect()
  const db = createDatabase()
  try {
    // new connections to this database start read-only, as connections to a standby do
    await admin.query(`ALTER DATABASE "${testDatabase.name}" SET default_transaction_read_only = on`)
    const refused = await db.prisma.$transaction(write).then(() => undefined, (error: unknown) => error)
    assert.ok(refused && isDatabaseUnavailable(refused), `refused as unavailable: ${String(refused)}`)
    // the primary is back behind the endpoint: a new connection reaches it, the old one would not
    await admin.query(`ALTER DATABASE "${testDatabase.name}" RESET default_transaction_read_only`)
    await db.prisma.$transaction(write)
    assert.equal(await db.prisma.$transaction(write), 0)
  } finally {
    await db.close()
    await admin.end()
  }
})
