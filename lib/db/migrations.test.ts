import { testDatabase } from '@/lib/testing/fresh-database'
// one database is enough: the embedded case runs on a folder of its own, the PostgreSQL case when the suite runs on PostgreSQL, and the drift check needs no server
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { test } from 'node:test'
import assert from 'node:assert/strict'
import pg from 'pg'
import { openPGlite } from '@/lib/db/private-pglite'
import { tsxCommand } from '@/lib/testing/tsx-command'

// Runs the real migration command on brand-new databases, as a fresh machine would.
const migrations = fs
  .readdirSync('prisma/migrations', { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort()
// every table the schema declares, so that a new model is covered without editing this test
const tables = [...fs.readFileSync('prisma/schema.prisma', 'utf8').matchAll(/@@map\("([^"]+)"\)/g)].map((m) => m[1]).sort()

function dbScript(command: string, env: Record<string, string | undefined>) {
  // spawn leaves out undefined values, so only the database given in `env` is seen
  const childEnv = { ...process.env, DATABASE_URL: undefined, PGLITE_DIR: undefined, ...env }
  const result = spawnSync(...tsxCommand(['scripts/db.ts', command]), { env: childEnv, encoding: 'utf8', timeout: 120_000 })
  return { status: result.status, output: `${result.stdout}${result.stderr}` }
}

const TABLES_SQL = "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name"
const MIGRATIONS_SQL = 'SELECT migration_name, finished_at, rolled_back_at FROM _prisma_migrations ORDER BY migration_name'
const LIVE_INDEX_SQL = "SELECT indexdef FROM pg_indexes WHERE indexname = 'uk_de_session_live_user'"

type Row = Record<string, unknown>

function assertMigrated(tableRows: Row[], migrationRows: Row[], indexRows: Row[]) {
  const present = tableRows.map((r) => String(r.table_name))
  assert.deepEqual(tables.filter((t) => !present.includes(t)), [], 'tables missing after deploy')
  assert.deepEqual(migrationRows.map((r) => r.migration_name), migrations)
  assert.ok(migrationRows.every((r) => r.finished_at !== null && r.rolled_back_at === null))
  assert.equal(indexRows.length, 1, 'the one-live-session unique index exists')
}

test('the schema declares tables and there are migrations', () => {
  assert.ok(tables.includes('de_session') && tables.includes('de_prod'), tables.join(', '))
  assert.ok(migrations.length > 0)
})

test('migrations apply to a brand-new embedded database (a folder that does not exist yet)', async () => {
  const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'fc-migrate-')), 'nested', 'pglite')
  try {
    const first = dbScript('deploy', { PGLITE_DIR: dir })
    assert.equal(first.status, 0, first.output)
    assert.match(first.output, new RegExp(`Applied: ${migrations.join(', ')}`))
    const second = dbScript('deploy', { PGLITE_DIR: dir })
    assert.equal(second.status, 0, second.output)
    assert.match(second.output, /No pending migrations/)

    const db = openPGlite(dir)
    try {
      assertMigrated(
        (await db.query<Row>(TABLES_SQL)).rows,
        (await db.query<Row>(MIGRATIONS_SQL)).rows,
        (await db.query<Row>(LIVE_INDEX_SQL)).rows,
      )
    } finally {
      await db.close()
    }
  } finally {
    fs.rmSync(path.dirname(path.dirname(dir)), { recursive: true, force: true })
  }
})

// PostgreSQL is there only when the run was given one (DATABASE_URL); the embedded case above always runs.
if (testDatabase.kind === 'postgres') test('migrations apply to a brand-new PostgreSQL database', async () => {
  assert.equal(testDatabase.kind, 'postgres')
  const name = `fc_test_empty_${process.pid}`
  const admin = new pg.Client({ connectionString: testDatabase.url })
  await admin.connect()
  await admin.query(`CREATE DATABASE "${name}"`)
  const url = new URL(testDatabase.url)
  url.pathname = `/${name}`
  try {
    const first = dbScript('deploy', { DATABASE_URL: url.toString() })
    assert.equal(first.status, 0, first.output)
    assert.match(first.output, new RegExp(`Applied: ${migrations.join(', ')}`))
    const second = dbScript('deploy', { DATABASE_URL: url.toString() })
    assert.equal(second.status, 0, second.output)
    assert.match(second.output, /No pending migrations/)

    const db = new pg.Client({ connectionString: url.toString() })
    await db.connect()
    try {
      assertMigrated(
        (await db.query<Row>(TABLES_SQL)).rows,
        (await db.query<Row>(MIGRATIONS_SQL)).rows,
        (await db.query<Row>(LIVE_INDEX_SQL)).rows,
      )
    } finally {
      await db.end()
    }
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
    await admin.end()
  }
})

test('schema.prisma and the migrations agree (db.ts drift exits 0)', () => {
  const drift = dbScript('drift', {})
  assert.equal(drift.status, 0, drift.output)
  assert.match(drift.output, /Schema and migrations agree/)
})
