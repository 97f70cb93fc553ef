// one database is enough: uses no database
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { test } from 'node:test'

// npm run test:migrations fails on a migration that would break the release before it,
// passes when the migration names the rule with its reason, and fails again when an
// exception excuses nothing.

const root = path.resolve(import.meta.dirname, '..')

function check(sql: string, exceptions?: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fc-squawk-'))
  fs.mkdirSync(path.join(dir, '20990101000000_change'))
  fs.writeFileSync(path.join(dir, '20990101000000_change', 'migration.sql'), sql)
  if (exceptions !== undefined) fs.writeFileSync(path.join(dir, '20990101000000_change', 'squawk-exceptions.txt'), exceptions)
  const run = spawnSync(process.execPath, ['scripts/squawk-migrations.mjs', dir], { cwd: root, encoding: 'utf8' })
  fs.rmSync(dir, { recursive: true })
  return { status: run.status, out: run.stdout + run.stderr }
}

const TIMEOUTS = "SET lock_timeout = '2s';\nSET statement_timeout = '60s';\n"

test('a column dropped under the release before is refused, by name', () => {
  const refused = check(`${TIMEOUTS}ALTER TABLE "de_ar" DROP COLUMN "memo";\n`)
  assert.equal(refused.status, 1, refused.out)
  assert.match(refused.out, /ban-drop-column/)
})

test('an expand-only migration with its timeouts passes', () => {
  const passed = check(`${TIMEOUTS}ALTER TABLE "de_ar" ADD COLUMN "memo" VARCHAR(64);\n`)
  assert.equal(passed.status, 0, passed.out)
})

test('an exception beside the migration excuses its rule; without a reason, or excusing nothing, it fails', () => {
  const sql = `${TIMEOUTS}ALTER TABLE "de_ar" DROP COLUMN "memo";\n`
  assert.equal(check(sql, 'ban-drop-column  nothing has read it since the release before\n').status, 0)
  const bare = check(sql, 'ban-drop-column\n')
  assert.equal(bare.status, 1)
  assert.match(bare.out, /gives no reason/)
  const stale = check(`${TIMEOUTS}ALTER TABLE "de_ar" ADD COLUMN "memo" VARCHAR(64);\n`, 'ban-drop-column  once dropped\n')
  assert.equal(stale.status, 1)
  assert.match(stale.out, /excused but squawk no longer finds it/)
})
