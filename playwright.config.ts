import { execFileSync } from 'node:child_process'
import { defineConfig, devices } from '@playwright/test'
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
// the workers and the server run on the project's Node.js, or stop (scripts/node-guard.mjs)
process.env.NODE_OPTIONS = withNodeGuard(process.env.NODE_OPTIONS)
const PORT = Number(process.env.E2E_PORT)
const GRPC_PORT = Number(process.env.E2E_GRPC_PORT)

export default defineConfig({
  testDir: './e2e',
  timeout: 30_000,
  expect: { timeout: 10_000 },
  retries: 0,
  workers: 1,
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
      E2E_LOG_FILE: process.env.E2E_LOG_FILE ?? 'test-results/e2e-server.log',
    },
  },
})
