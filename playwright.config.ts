import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { defineConfig, devices } from '@playwright/test'
import { compileCacheDir } from './scripts/compile-cache.mjs'
import { withNodeGuard } from './scripts/node-guard.mjs'

// The production build (`npm run build`) served by the project's own server,
// on a fresh database prepared by scripts/e2e-server.ts, in Debian's Chromium.
// Its ports are E2E_PORT and E2E_GRPC_PORT, else two the system finds free; they are
// put in the environment, which the workers (and e2e/clients.spec.ts) inherit.
if (!process.env.E2E_PORT || !process.env.E2E_GRPC_PORT) {
  const probe = "const n=require('net');const a=n.createServer().listen(0,'127.0.0.1',()=>{const b=n.createServer().listen(0,'127.0.0.1',()=>{console.log(a.address().port,b.address().port);a.close();b.close()})})"
  const [http, grpc] = execFileSync(process.execPath, ['-e', probe], { encoding: 'utf8' }).trim().split(' ')
  process.env.E2E_PORT ||= http
  process.env.E2E_GRPC_PORT ||= grpc
}
// The e2e database (prepared by scripts/e2e-server.ts) and the server's secret are chosen
// here, once, and put in the environment too: the workers' fixtures write users and
// sessions straight into that database and seal session cookies with that secret
// (e2e/fixtures.ts). This file is read again in every worker: `||=` keeps the runner's choice.
if (process.env.DATABASE_URL) {
  const url = new URL(process.env.DATABASE_URL)
  url.pathname = `${url.pathname}_e2e`
  process.env.E2E_DATABASE_URL ||= url.toString()
} else {
  process.env.E2E_PGLITE_DIR ||= fs.mkdtempSync(path.join(os.tmpdir(), 'fc-e2e-'))
}
process.env.E2E_AUTH_SECRET ||= randomBytes(32).toString('hex')
// Every spec owns its users, so the tests run side by side: a worker per core, at least
// two (E2E_WORKERS overrides). Each worker drives one Chromium page at a time against the
// one server; the server's database pool is sized so that they never queue for it.
const WORKERS = Number(process.env.E2E_WORKERS) || Math.max(2, os.availableParallelism())
// the workers and the server run on the project's Node.js, or stop (scripts/node-guard.mjs)
process.env.NODE_OPTIONS = withNodeGuard(process.env.NODE_OPTIONS)
// and they share one cache of compiled code with the rest of the suite (scripts/compile-cache.mjs)
process.env.NODE_COMPILE_CACHE ||= compileCacheDir()
const PORT = Number(process.env.E2E_PORT)
const GRPC_PORT = Number(process.env.E2E_GRPC_PORT)

export default defineConfig({
  testDir: './e2e',
  // Guards against a hang, not measures of speed: with a worker per core, each test shares
  // the machine with the other workers' browsers and the server, and on two cores one that
  // takes 12 s alone has taken over 30 s (login-browser's two devices and four logins).
  timeout: 60_000,
  expect: { timeout: 15_000 },
  retries: 0,
  fullyParallel: true,
  workers: WORKERS,
  forbidOnly: true,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    trace: 'retain-on-failure',
    locale: 'zh-CN',
  },
  projects: [
    {
      name: 'chromium',
      use: {
        ...devices['Desktop Chrome'],
        launchOptions: {
          executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
          // without the background-networking flags Chromium floods the closed network
          args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
            '--disable-sync', '--no-first-run', '--disable-quic', '--disable-dev-shm-usage'],
        },
      },
    },
  ],
  webServer: {
    command: 'npx tsx scripts/e2e-server.ts',
    url: `http://127.0.0.1:${PORT}/healthz`,
    reuseExistingServer: false,
    timeout: 120_000,
    // the server's log goes to E2E_LOG_FILE (read by the log tests); keep the report readable
    stdout: 'ignore',
    stderr: 'pipe',
    env: {
      PORT: String(PORT),
      GRPC_PORT: String(GRPC_PORT),
      HOST: '127.0.0.1',
      PUBLIC_URL: `http://127.0.0.1:${PORT}`,
      NEXT_TELEMETRY_DISABLED: '1',
      AUTH_SECRET: process.env.E2E_AUTH_SECRET,
      DB_POOL_SIZE: String(Math.max(10, 4 * WORKERS)),
      E2E_LOG_FILE: process.env.E2E_LOG_FILE ?? 'test-results/e2e-server.log',
    },
  },
})
