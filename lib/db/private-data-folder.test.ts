import { testDatabase } from '@/lib/testing/fresh-database'
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, test } from 'node:test'
import assert from 'node:assert/strict'
import { tsxCommand } from '@/lib/testing/tsx-command'

// The embedded database's folder holds every row in its files and WAL: nothing in it
// may be readable by another user of the machine (PostgreSQL itself refuses a data
// directory with group or other access). About the embedded database even when the
// suite runs on PostgreSQL: the tests then make a folder of their own, as `npm run demo` does.
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'fc-modes-'))
after(() => fs.rmSync(scratch, { recursive: true, force: true }))
const dataFolder = path.join(scratch, 'data')
const dir = path.join(dataFolder, 'pglite')

/** Every entry under `root` (itself included) with a group or other permission bit, as `find root -perm /077` lists them. */
function openToOthers(root: string): string[] {
  const found: string[] = []
  const visit = (entry: string) => {
    const stat = fs.lstatSync(entry)
    if (stat.isSymbolicLink()) return
    if (stat.mode & 0o077) found.push(`${(stat.mode & 0o777).toString(8)} ${path.relative(root, entry) || '.'}`)
    if (stat.isDirectory()) for (const name of fs.readdirSync(entry)) visit(path.join(entry, name))
  }
  visit(root)
  return found
}

const show = (entries: string[]) => `${entries.length} entries open to others: ${entries.slice(0, 5).join(', ')}`

delete process.env.DATABASE_URL
process.env.PGLITE_DIR = dir
const { createDatabase } = await import('@/lib/db/client')

test('migrating a new embedded database (npm run db:migrate) leaves nothing in its data folder open to other users', () => {
  const deploy = spawnSync(...tsxCommand(['scripts/db.ts', 'deploy']), { env: { ...process.env, PGLITE_DIR: dir, DATABASE_URL: undefined }, encoding: 'utf8' })
  assert.equal(deploy.status, 0, `${deploy.stdout}${deploy.stderr}`)
  assert.ok(fs.existsSync(path.join(dir, 'PG_VERSION')))
  const open = openToOthers(dataFolder)
  assert.deepEqual(open, [], show(open))
})

test('the app on the embedded database (shared on its socket, written, checkpointed) keeps its folder owner-only', async () => {
  const db = createDatabase({ shareEmbedded: true })
  await db.query('CREATE TABLE mode_probe (note text)', [])
  await db.query('INSERT INTO mode_probe VALUES ($1)', ['a row in the WAL'])
  await db.query('CHECKPOINT', [])
  const whileOpen = openToOthers(dataFolder)
  await db.close()
  assert.deepEqual(whileOpen, [], show(whileOpen))
  const afterClose = openToOthers(dataFolder)
  assert.deepEqual(afterClose, [], show(afterClose))
})

test('an existing folder open to others is made owner-only at start, and one log line says so', () => {
  fs.chmodSync(dataFolder, 0o755)
  fs.chmodSync(dir, 0o755)
  fs.chmodSync(path.join(dir, 'PG_VERSION'), 0o644)
  fs.chmodSync(path.join(dir, 'base'), 0o775)
  const deploy = spawnSync(...tsxCommand(['scripts/db.ts', 'deploy']), { env: { ...process.env, PGLITE_DIR: dir, DATABASE_URL: undefined }, encoding: 'utf8' })
  assert.equal(deploy.status, 0, `${deploy.stdout}${deploy.stderr}`)
  const lines = deploy.stdout.split('\n').filter((l) => /owner-only/.test(l))
  assert.equal(lines.length, 1, deploy.stdout)
  assert.match(lines[0], /3 entries/)
  const open = openToOthers(dir)
  assert.deepEqual(open, [], show(open))
})

test("the suite's own embedded databases (the migrated template and this file's copy) are owner-only", () => {
  const template = process.env.FC_TEST_TEMPLATE ?? ''
  // on PostgreSQL the template is a database, not a folder: the first test covered the same migration
  const folders = testDatabase.kind === 'pglite' ? [template, testDatabase.dir] : [dir]
  for (const folder of folders) {
    const open = openToOthers(folder)
    assert.deepEqual(open, [], `${folder}: ${show(open)}`)
  }
})
