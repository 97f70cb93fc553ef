import { testDatabase } from '@/lib/testing/fresh-database'
// one database is enough: the embedded case runs on a folder of its own, the PostgreSQL case when the suite runs on PostgreSQL
// A production database stays production whatever the shell of the person at the
// keyboard says: with the production app running on it, the seed, demo:seed and
// demo:reset run from another shell (no NODE_ENV, or DEMO_MODE=true) write no public
// password and delete nothing, and the app refuses to start in demo mode on it.
// The database itself says what it is (lib/db/database-mark.ts), not the environment.
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { test } from 'node:test'
import { call, root, startServer, testDataEncryptionKey } from './support/server-process'
import { LIST, LOGIN } from './support/rpc'
import { tsxCommand } from '@/lib/testing/tsx-command'

const AUTH_SECRET = randomBytes(32).toString('hex')

type Shell = Record<string, string | undefined>

/** Runs a command as from a shell of its own: the database's variables, no NODE_ENV or DEMO_MODE unless given. */
function run(args: string[], db: Shell, shell: Shell = {}, input = ''): Promise<{ status: number | null; out: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, ...db, ...shell }
  for (const name of ['NODE_ENV', 'DEMO_MODE', 'DATABASE_URL', 'PGLITE_DIR'] as const) {
    if (!(name in db) && !(name in shell)) delete env[name]
    if (env[name] === undefined) delete env[name]
  }
  return new Promise((resolve, reject) => {
    const child = spawn(...tsxCommand(args), { cwd: root, env, stdio: ['pipe', 'pipe', 'pipe'] })
    let out = ''
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()))
    child.on('error', reject)
    child.on('close', (status) => resolve({ status, out }))
    child.stdin.end(input)
  })
}

const production: Shell = { NODE_ENV: 'production', AUTH_SECRET, DATA_ENCRYPTION_KEY: testDataEncryptionKey }

/**
 * The finding's sequence on one database: made the way an operator makes a production
 * database, served by the production app, then the demo tools from another shell.
 * `named` is how the refusals must name the database.
 */
async function productionStaysProduction(db: Shell, named: string, secret?: string) {
  const migrated = await run(['scripts/db.ts', 'deploy'], db, production)
  assert.equal(migrated.status, 0, migrated.out)
  assert.match(migrated.out, /The database is marked production/)
  const seededInProduction = await run(['prisma/seed.ts'], db, production)
  assert.equal(seededInProduction.status, 0, seededInProduction.out)
  const server = await startServer({ ...db, DEMO_MODE: undefined })
  let stopped = false
  try {
    const created = await run(['scripts/admin.ts', 'user:create', '--email', 'zoe.ops@example.com', '--name', 'Zoe'], db, {}, 'zoe-real-password\n')
    assert.equal(created.status, 0, created.out)
    const zoe = await call(server.base, LOGIN, { loginKey: 'zoe.ops@example.com', loginValue: 'zoe-real-password' })
    assert.equal(zoe.json.code, '00', JSON.stringify(zoe.json))
    const alice = () => call(server.base, LOGIN, { loginKey: 'alice@example.com', loginValue: 'alice-demo-pass' })
    assert.equal((await alice()).json.code, '01')

    // db:seed from a shell without NODE_ENV: the products, but no account with a public password
    const seeded = await run(['prisma/seed.ts'], db)
    assert.equal(seeded.status, 0, seeded.out)
    assert.doesNotMatch(seeded.out, /alice-demo-pass/)
    assert.equal((await alice()).json.code, '01', 'db:seed made the demo account on a production database')

    // demo:seed asks for the demo accounts: refused, naming the database, and nothing written
    const demoSeed = await run(['prisma/seed.ts'], db, { DEMO_MODE: 'true' })
    assert.notEqual(demoSeed.status, 0, demoSeed.out)
    assert.ok(demoSeed.out.includes(named), `the refusal names the database (${named}):\n${demoSeed.out}`)
    assert.match(demoSeed.out, /production/)
    const refusals = [demoSeed.out]
    assert.equal((await alice()).json.code, '01', 'demo:seed made the demo account on a production database')

    // demo:reset, with or without DEMO_MODE: refused, and zoe, her session and the catalogue are there
    for (const shell of [{}, { DEMO_MODE: 'true' }, { DEMO_MODE: 'true', NODE_ENV: 'development' }]) {
      const reset = await run(['scripts/demo-reset.ts'], db, shell)
      assert.notEqual(reset.status, 0, `${JSON.stringify(shell)}: ${reset.out}`)
      assert.ok(reset.out.includes(named), `the refusal names the database (${named}):\n${reset.out}`)
      assert.doesNotMatch(reset.out, /^Removed \d+ rows/m)
      refusals.push(reset.out)
    }
    const list = await call(server.base, LIST, { token: zoe.json.token, arrangementType: 'Deduction', userId: zoe.json.userId })
    assert.equal(list.json.code, '00', `zoe's session survived: ${JSON.stringify(list.json)}`)
    const again = await call(server.base, LOGIN, { loginKey: 'zoe.ops@example.com', loginValue: 'zoe-real-password' })
    assert.equal(again.json.code, '00', JSON.stringify(again.json))

    if (secret) for (const out of refusals) assert.ok(!out.includes(secret), `a refusal shows the password of the database URL:\n${out}`)

    stopped = true
    assert.equal(await server.stop('SIGTERM'), 0, server.output().slice(-2000))
    // the app itself refuses demo mode on it
    await assert.rejects(startServer({ ...db, DEMO_MODE: 'true' }), (error: Error) => {
      assert.match(error.message, /exited \(1\)/)
      assert.ok(error.message.includes(named), error.message)
      assert.match(error.message, /DEMO_MODE=true/)
      return true
    })
  } finally {
    if (!stopped) await server.stop('SIGTERM')
  }
}

test('the embedded database: a production one keeps its data and gets no public password from any shell', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fc-boundary-'))
  try {
    await productionStaysProduction({ PGLITE_DIR: dir, DATABASE_URL: undefined }, dir)
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
})

// PostgreSQL is there only when the run was given one (DATABASE_URL); the embedded case above always runs.
if (testDatabase.kind === 'postgres') test('PostgreSQL: a production one keeps its data and gets no public password from any shell', async () => {
  assert.equal(testDatabase.kind, 'postgres')
  const url = new URL(testDatabase.url)
  const secret = url.password ? `:${decodeURIComponent(url.password)}@` : undefined
  url.password = ''
  await productionStaysProduction({ DATABASE_URL: testDatabase.url }, url.toString(), secret)
})
