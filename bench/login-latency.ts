// Login cost on this machine: one argon2id hash and verification with the app's
// parameters, and user.User/Login latency p50/p99 at 1 and 4 concurrent clients
// against the built server (`npm run build` first). Usage: npm run bench:login
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import argon2 from 'argon2'
import { hashPassword, PASSWORD_HASH_OPTIONS } from '@/lib/auth/password'
import { call, startServer } from '../tests/support/server-process'
import { prepareDatabase } from '../tests/support/prepare-database'

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]
const ms = (n: number) => `${n.toFixed(1)} ms`

async function timeEach(count: number, fn: () => Promise<unknown>): Promise<number[]> {
  const times: number[] = []
  for (let i = 0; i < count; i++) {
    const start = performance.now()
    await fn()
    times.push(performance.now() - start)
  }
  return times.sort((a, b) => a - b)
}

const hashes = await timeEach(20, () => hashPassword('a password of ordinary length'))
const stored = await hashPassword('a password of ordinary length')
const verifies = await timeEach(20, () => argon2.verify(stored, 'a password of ordinary length'))
console.log(`argon2id m=${PASSWORD_HASH_OPTIONS.memoryCost} KiB t=${PASSWORD_HASH_OPTIONS.timeCost} p=${PASSWORD_HASH_OPTIONS.parallelism}`)
console.log(`  hash:   median ${ms(percentile(hashes, 50))}, p99 ${ms(percentile(hashes, 99))} (20 runs)`)
console.log(`  verify: median ${ms(percentile(verifies, 50))}, p99 ${ms(percentile(verifies, 99))} (20 runs)`)

const dbEnv = process.env.DATABASE_URL
  ? { DATABASE_URL: process.env.DATABASE_URL }
  : { PGLITE_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'fc-bench-login-')), DATABASE_URL: undefined }
// a user per client: single-device login would otherwise have the clients end each other's sessions
const users = prepareDatabase(dbEnv, { users: 4, label: 'bench' })
const server = await startServer({ ...dbEnv, LOG_LEVEL: 'warn' })
try {
  const perClient = Number(process.env.LOGINS_PER_CLIENT ?? 100)
  for (const clients of [1, 4]) {
    const latencies: number[] = []
    const started = performance.now()
    await Promise.all(
      Array.from({ length: clients }, async (_, c) => {
        const user = users[c]
        for (let i = 0; i < perClient; i++) {
          const answer = await call(server.base, 'user.User/Login', { loginKey: user.email, loginValue: user.password })
          if (answer.json.code !== '00') throw new Error(`login failed: ${JSON.stringify(answer.json)}`)
          latencies.push(answer.ms)
        }
      }),
    )
    const seconds = (performance.now() - started) / 1000
    latencies.sort((a, b) => a - b)
    console.log(
      `login, ${clients} client${clients > 1 ? 's' : ''}: p50 ${ms(percentile(latencies, 50))}, p99 ${ms(percentile(latencies, 99))}, ` +
        `${(latencies.length / seconds).toFixed(1)} logins/s (${latencies.length} logins, ${dbEnv.DATABASE_URL ? 'PostgreSQL' : 'PGlite'}, ${os.cpus().length} cores)`,
    )
  }
} finally {
  await server.stop('SIGTERM')
}
