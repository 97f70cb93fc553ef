// Serves the production build for the Playwright suite on a database of its own, the one
// playwright.config.ts chose: a fresh PostgreSQL database beside DATABASE_URL's
// (E2E_DATABASE_URL, <db>_e2e), or a fresh PGlite directory (E2E_PGLITE_DIR); migrated and
// seeded with the demo shop and the suite's merchant. The specs make their own users
// (e2e/fixtures.ts). Everything the server logs also goes to E2E_LOG_FILE, where the log tests read it.
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import pg from 'pg'

async function prepareDatabase(): Promise<Record<string, string>> {
  const target = process.env.E2E_DATABASE_URL
  if (target) {
    if (!process.env.DATABASE_URL) throw new Error('E2E_DATABASE_URL needs DATABASE_URL, the database it is made from')
    const name = new URL(target).pathname.slice(1)
    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL })
    await admin.connect()
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
    await admin.query(`CREATE DATABASE "${name}"`)
    await admin.end()
    return { DATABASE_URL: target }
  }
  const dir = process.env.E2E_PGLITE_DIR
  if (!dir) throw new Error('neither E2E_DATABASE_URL nor E2E_PGLITE_DIR is set: run the suite through `npx playwright test`')
  fs.mkdirSync(dir, { recursive: true })
  return { PGLITE_DIR: dir }
}

// demo mode: the seed creates the demo accounts, and the login page offers them. The
// configuration is read on first use (lib/config.ts), so the modules that use it are
// imported once the environment names the e2e database.
Object.assign(process.env, await prepareDatabase(), { DEMO_MODE: 'true' })
const env: NodeJS.ProcessEnv = { ...process.env }
{
  // in this one process, as tests/support/prepare-database-cli.ts does: migrate, seed, the suite's merchant
  const [{ runDbCommand }, { seedDatabase }, { seedE2eMerchant }, { closeDatabase }] = await Promise.all([
    import('@/scripts/db'),
    import('@/prisma/seed'),
    import('./e2e-merchant'),
    import('@/lib/db'),
  ])
  try {
    await runDbCommand('deploy')
    await seedDatabase({ demoShop: true })
    await seedE2eMerchant()
  } finally {
    // an embedded database's folder (its lock, lib/db/pglite-lock.ts) must be free for the server
    await closeDatabase()
  }
}

const logFile = env.E2E_LOG_FILE
if (logFile) fs.mkdirSync(path.dirname(logFile), { recursive: true })
const log = logFile ? fs.createWriteStream(logFile, { flags: 'w' }) : undefined
const server = spawn(process.execPath, ['--enable-source-maps', 'dist/server.js'], {
  // production mode insists on a real secret: a fresh one per run
  env: { ...env, NODE_ENV: 'production', AUTH_SECRET: env.AUTH_SECRET ?? randomBytes(32).toString('hex') },
  stdio: ['ignore', 'pipe', 'pipe'],
})
for (const [stream, out] of [[server.stdout, process.stdout], [server.stderr, process.stderr]] as const) {
  stream.on('data', (chunk: Buffer) => {
    out.write(chunk)
    log?.write(chunk)
  })
}
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => server.kill(signal))
server.on('exit', (code) => process.exit(code ?? 0))
