import { testDatabase } from '@/lib/testing/fresh-database'
// one database is enough: it runs on an embedded database of its own whatever the suite's database
import { spawn, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, test } from 'node:test'
import assert from 'node:assert/strict'
import { createDatabase } from '@/lib/db/client'
import { lockDataDirectory } from '@/lib/db/pglite-lock'
import { config } from '@/lib/config'
import { tsxCommand } from '@/lib/testing/tsx-command'

// PGlite keeps no lock of its own: these tests check that a second *process*
// opening the same directory is refused at once and that the first one's data
// survives. They are about the embedded database even when the suite runs on
// PostgreSQL, so they then migrate a PGlite directory of their own.
const LOCK_FILE = 'fcdeduction.lock'
const created: string[] = []
after(() => {
  for (const dir of created) fs.rmSync(dir, { recursive: true, force: true })
})

/** This process's environment on the embedded database in `dir` (spawn leaves out undefined values). */
function childEnv(dir: string): NodeJS.ProcessEnv {
  return { ...process.env, PGLITE_DIR: dir, DATABASE_URL: undefined }
}

function migratedDirectory(): string {
  if (testDatabase.kind === 'pglite') return testDatabase.dir
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fc-lock-'))
  created.push(dir)
  const deploy = spawnSync(...tsxCommand(['scripts/db.ts', 'deploy']), { env: childEnv(dir), encoding: 'utf8' })
  assert.equal(deploy.status, 0, `${deploy.stdout}${deploy.stderr}`)
  return dir
}

const dir = migratedDirectory()
// point this process's config at the directory before anything reads it
delete process.env.DATABASE_URL
process.env.PGLITE_DIR = dir

/** Runs a command without blocking this process, which keeps serving its open database meanwhile. */
function run(command: string, args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: childEnv(dir), stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.on('error', reject)
    child.on('close', (status) => resolve({ status, stdout, stderr }))
  })
}

// a second process that opens the directory the way the app does and reports what happened
const SECOND_OPENER = `
const { createDatabase } = await import(${JSON.stringify(path.resolve('lib/db/client.ts'))})
const started = Date.now()
const db = createDatabase()
try {
  const products = await db.prisma.product.count()
  console.log(JSON.stringify({ opened: true, products }))
  await db.close()
} catch (error) {
  console.log(JSON.stringify({ opened: false, name: error.name, message: error.message, ms: Date.now() - started }))
  process.exitCode = 3
}
`

const products = ['LOCK0001', 'LOCK0002', 'LOCK0003'].map((code) => ({
  tenantId: config().FC_TENANT_ID,
  code,
  name: `产品 ${code}`,
  description: 'written by the first process',
  orgName: 'lock test',
}))

test('a second process is refused at once, and the first keeps its data', async () => {
  assert.equal(config().embedded, true)
  const first = createDatabase()
  try {
    await first.prisma.product.createMany({ data: products })
    const lock = JSON.parse(fs.readFileSync(path.join(dir, LOCK_FILE), 'utf8')) as { pid: number }
    assert.equal(lock.pid, process.pid)

    const second = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', SECOND_OPENER])
    assert.equal(second.status, 3, `${second.stdout}${second.stderr}`)
    const outcome = JSON.parse(second.stdout) as { opened: boolean; name: string; message: string; ms: number }
    assert.equal(outcome.opened, false)
    assert.equal(outcome.name, 'EmbeddedDatabaseInUseError')
    assert.match(outcome.message, new RegExp(`already open in process ${process.pid}`))
    assert.match(outcome.message, /set DATABASE_URL to use PostgreSQL/)
    assert.ok(outcome.ms < 3000, `refused after ${outcome.ms} ms`)

    // the same refusal reaches an operator through the command-line tools
    const admin = await run(...tsxCommand(['scripts/admin.ts', 'session:list', '--email', 'alice@example.com']))
    assert.equal(admin.status, 1, `${admin.stdout}${admin.stderr}`)
    assert.match(admin.stderr, /is already open in process \d+/)
    const migrate = await run(...tsxCommand(['scripts/db.ts', 'deploy']))
    assert.notEqual(migrate.status, 0, `${migrate.stdout}${migrate.stderr}`)
    assert.match(migrate.stderr, /EmbeddedDatabaseInUseError|is already open in process/)

    // the first process still reads what it wrote, and can still write
    const codes = products.map((p) => p.code)
    const rows = await first.prisma.product.findMany({ where: { code: { in: codes } }, orderBy: { code: 'asc' } })
    assert.deepEqual(rows.map((r) => [r.code, r.description]), codes.map((c) => [c, 'written by the first process']))
    await first.prisma.product.create({ data: { ...products[0], code: 'LOCK0004' } })
  } finally {
    await first.close()
  }
  assert.equal(fs.existsSync(path.join(dir, LOCK_FILE)), false, 'closing frees the lock')

  const reopened = createDatabase()
  try {
    assert.equal(await reopened.prisma.product.count({ where: { code: { startsWith: 'LOCK' } } }), 4)
  } finally {
    await reopened.close()
  }

  // and another process may open it now
  const later = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', SECOND_OPENER])
  assert.equal(later.status, 0, `${later.stdout}${later.stderr}`)
  assert.equal((JSON.parse(later.stdout) as { products: number }).products >= 4, true)
})

/** The pid of a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', ''])
  assert.equal(child.status, 0)
  return child.pid
}

test('a lock left by a dead process is taken over', async () => {
  fs.writeFileSync(path.join(dir, LOCK_FILE), JSON.stringify({ pid: deadPid(), since: new Date(0).toISOString() }))
  const db = createDatabase()
  try {
    assert.equal(await db.prisma.product.count({ where: { code: { startsWith: 'LOCK' } } }), 4)
    const lock = JSON.parse(fs.readFileSync(path.join(dir, LOCK_FILE), 'utf8')) as { pid: number }
    assert.equal(lock.pid, process.pid)
  } finally {
    await db.close()
  }
  assert.equal(fs.existsSync(path.join(dir, LOCK_FILE)), false)
})

test('an unreadable lock file is taken over too; a live owner is not', () => {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'fc-lockfile-'))
  created.push(scratch)
  fs.writeFileSync(path.join(scratch, LOCK_FILE), 'not json')
  const release = lockDataDirectory(scratch)
  release()
  assert.equal(fs.existsSync(path.join(scratch, LOCK_FILE)), false)

  // pid 1 always exists (init), so this lock belongs to a live process
  fs.writeFileSync(path.join(scratch, LOCK_FILE), JSON.stringify({ pid: 1 }))
  assert.throws(() => lockDataDirectory(scratch), { name: 'EmbeddedDatabaseInUseError', message: /already open in process 1\b/ })
  assert.equal(JSON.parse(fs.readFileSync(path.join(scratch, LOCK_FILE), 'utf8')).pid, 1, 'the owner keeps its lock')
})
