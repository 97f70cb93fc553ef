import '@/lib/testing/fresh-database'
// one database is enough: it runs on an embedded database of its own whatever the suite's database
// `npm run dev` on a fresh clone, before any other command: it migrates and seeds the
// embedded database itself, so the API answers at once (a demo account logs in)
// instead of failing on tables that do not exist yet.
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { test } from 'node:test'
import { call, freePort, root, waitUntil } from './support/server-process'
import { LOGIN } from './support/rpc'

test('npm run dev on a new embedded database: migrated, seeded, and the API answers', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fc-dev-'))
  const port = await freePort()
  // Next's development output goes to .next/dev, apart from the production build the other tests serve
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PGLITE_DIR: path.join(dir, 'pglite'),
    PORT: String(port),
    GRPC_PORT: '0',
    NODE_ENV: 'development',
    NEXT_TELEMETRY_DISABLED: '1',
  }
  delete env.DATABASE_URL
  // its own process group, so that npm, tsx's watcher and the server all stop together
  const dev = spawn('npm', ['run', 'dev'], { cwd: root, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  dev.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()))
  dev.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const base = `http://127.0.0.1:${port}`
  try {
    await waitUntil(
      async () => {
        if (dev.exitCode !== null) throw new Error(`npm run dev exited (${dev.exitCode}):\n${output}`)
        return fetch(`${base}/healthz`).then((res) => res.ok, () => false)
      },
      180_000,
      () => `npm run dev did not answer:\n${output}`,
    )
    assert.match(output, /alice@example\.com/, 'the seed printed the demo accounts')
    const login = await call(base, LOGIN, { loginKey: 'alice@example.com', loginValue: 'alice-demo-pass' })
    assert.equal(login.json.code, '00', JSON.stringify(login.json))
  } finally {
    const exited = new Promise((resolve) => dev.once('exit', resolve))
    if (dev.exitCode === null && dev.pid) process.kill(-dev.pid, 'SIGTERM')
    await exited
    fs.rmSync(dir, { recursive: true, force: true })
  }
})
