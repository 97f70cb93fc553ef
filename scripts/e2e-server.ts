// Serves the production build for the Playwright suite on a database of its own:
// a fresh PostgreSQL database beside DATABASE_URL's (named <db>_e2e), or a fresh
// PGlite directory; migrated, seeded with the demo shop, with extra users e2e01…e2e70@example.com and a merchant.
// Everything the server logs also goes to E2E_LOG_FILE, where the log tests read it.
import { execFileSync, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'


async function prepareDatabase(): Promise<Record<string, string>> {
  if (process.env.DATABASE_URL) {
    const url = new URL(process.env.DATABASE_URL)
    const name = `${url.pathname.slice(1)}_e2e`
    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL })
    await admin.connect()
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
    await admin.query(`CREATE DATABASE "${name}"`)
    await admin.end()
    url.pathname = `/${name}`
    return { DATABASE_URL: url.toString() }
  }
  return { PGLITE_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'fc-e2e-')) }
}

// demo mode: the seed creates the demo accounts, and the login page offers them
const env: NodeJS.ProcessEnv = { ...process.env, ...(await prepareDatabase()), DEMO_MODE: 'true' }
const run = (args: string[]) => execFileSync('npx', ['tsx', ...args], { env, stdio: 'inherit' })
run(['scripts/db.ts', 'deploy'])
run(['prisma/seed.ts', '--demo-shop'])
run(['scripts/e2e-users.ts'])
run(['scripts/e2e-merchant.ts'])

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
