import { testDatabase } from '@/lib/testing/fresh-database'
import path from 'node:path'
import { after, test } from 'node:test'
import assert from 'node:assert/strict'
import { closeDatabase, runStatement } from '@/lib/db'
import {
  isDemoDatabase,
  markOnFirstUse,
  markProduction,
  NotDemoDatabaseError,
  readDatabaseMark,
  requireDemoDatabase,
} from '@/lib/db/database-mark'
import { createUser } from '@/lib/testing/fixtures'

after(closeDatabase)

const local = { NODE_ENV: 'development', DEMO_MODE: undefined } as const
const demo = { NODE_ENV: 'development', DEMO_MODE: true } as const
const production = { NODE_ENV: 'production', DEMO_MODE: undefined } as const

/** How a refusal must name this test's database: the folder, or the URL without its password. */
function named(): string {
  if (testDatabase.kind === 'pglite') return path.resolve(testDatabase.dir)
  const url = new URL(testDatabase.url)
  url.password = ''
  return url.toString()
}

async function refusedNamingTheDatabase(mark: 'production' | null) {
  await assert.rejects(requireDemoDatabase('Trying a demo tool'), (error: unknown) => {
    assert.ok(error instanceof NotDemoDatabaseError, String(error))
    assert.equal(error.mark, mark)
    assert.ok(error.message.startsWith('Trying a demo tool is refused: '), error.message)
    assert.ok(error.message.includes(named()), `${error.message} names ${named()}`)
    assert.match(error.message, mark === 'production' ? /is marked production/ : /is not marked as a demo database/)
    if (testDatabase.kind === 'postgres') {
      const password = new URL(testDatabase.url).password
      if (password) assert.ok(!error.message.includes(`:${password}@`), 'the message holds the password')
    }
    return true
  })
}

test('a new database is unmarked, and the demo tools refuse it whatever the shell says', async () => {
  assert.equal(await readDatabaseMark(), null)
  assert.equal(await isDemoDatabase(), false)
  await refusedNamingTheDatabase(null)
  // a local run's default sets nothing
  assert.equal(await markOnFirstUse('a local run', runStatement, local), null)
})

test('DEMO_MODE=true marks a database demo only while it holds no users', async () => {
  await createUser('someone.real@example.com')
  assert.equal(await markOnFirstUse('demo:seed', runStatement, demo), null)
  assert.equal(await readDatabaseMark(), null)
  await runStatement('DELETE FROM de_user_credential', [])
  await runStatement('DELETE FROM de_user', [])
  assert.equal(await markOnFirstUse('demo:seed', runStatement, demo), 'demo')
  await requireDemoDatabase('Trying a demo tool')
  assert.equal(await isDemoDatabase(), true)
  // once set, no shell changes it back or sideways
  assert.equal(await markOnFirstUse('npm start', runStatement, production), 'demo')
  const [row] = await runStatement<{ marked_by: string }>('SELECT marked_by FROM de_database_mark', [])
  assert.equal(row.marked_by, 'demo:seed')
})

test('demo becomes production, and nothing turns production back into demo', async () => {
  const marked = await markProduction('the test')
  assert.equal(marked.before, 'demo')
  assert.equal(marked.markedBy, 'the test')
  assert.equal(await readDatabaseMark(), 'production')
  await refusedNamingTheDatabase('production')

  assert.equal(await markOnFirstUse('demo:seed', runStatement, demo), 'production')
  // not even a statement by hand: the table's trigger refuses it
  for (const sql of ["UPDATE de_database_mark SET mark = 'demo'", 'DELETE FROM de_database_mark', 'TRUNCATE de_database_mark']) {
    await assert.rejects(runStatement(sql, []), /never becomes a demo database|never removed/, sql)
  }
  await assert.rejects(runStatement("INSERT INTO de_database_mark (id, mark, marked_by) VALUES (2, 'demo', 'x')", []), /de_database_mark_one_row/)
  assert.equal(await readDatabaseMark(), 'production')
  // marking it production again changes nothing
  const again = await markProduction('a second time')
  assert.equal(again.before, 'production')
  assert.equal(again.markedBy, 'the test')
})
