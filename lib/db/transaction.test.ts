import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { closeDatabase, runInTransaction, runStatement } from '@/lib/db'

// The driver's own transaction (lib/db/client.ts), on the suite's database: what it wrote
// is there once it resolves, and none of it when it throws.
before(async () => {
  await runStatement('CREATE TABLE transaction_probe (n int PRIMARY KEY)', [])
})

after(closeDatabase)

const probed = async () => (await runStatement<{ n: number }>('SELECT n FROM transaction_probe ORDER BY n', [])).map((r) => r.n)

test('a transaction that resolves keeps every statement it ran, and resolves with its value', async () => {
  const value = await runInTransaction(async (run) => {
    await run('INSERT INTO transaction_probe (n) VALUES ($1)', [1])
    await run('INSERT INTO transaction_probe (n) VALUES ($1)', [2])
    return 'done'
  })
  assert.equal(value, 'done')
  assert.deepEqual(await probed(), [1, 2])
})

test('a transaction that throws after writing leaves nothing written, and its connection serves the next one', async () => {
  await assert.rejects(
    runInTransaction(async (run) => {
      await run('INSERT INTO transaction_probe (n) VALUES ($1)', [3])
      throw new Error('changed my mind')
    }),
    /changed my mind/,
  )
  // a statement that fails inside: the database's error, and nothing written either
  await assert.rejects(
    runInTransaction(async (run) => {
      await run('INSERT INTO transaction_probe (n) VALUES ($1)', [4])
      await run('INSERT INTO transaction_probe (n) VALUES ($1)', [1])
    }),
    /duplicate key/,
  )
  assert.deepEqual(await probed(), [1, 2])
  assert.equal(await runInTransaction(async (run) => (await run<{ n: number }>('SELECT count(*)::int AS n FROM transaction_probe', []))[0].n), 2)
})
