import '@/lib/testing/fresh-database'
// After a scripted mix of calls, the per-call and per-code counters at /metrics
// equal the calls made.
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { after, before, test } from 'node:test'
import { call, root, startServer, type ServerProcess } from './support/server-process'
import { prepareDatabase, type TestUser } from './support/prepare-database'
import { testDatabase } from '@/lib/testing/fresh-database'
import { VERSION } from '@/lib/observability/build-info'
import { LOGIN, CREATE, CLOSE, LIST } from './support/rpc'

let server: ServerProcess
let user: TestUser
let other: TestUser
const METRICS_TOKEN = 'metrics-token-for-the-test-0123456789'

before(async () => {
  const dbEnv = testDatabase.kind === 'postgres' ? { DATABASE_URL: testDatabase.url } : { PGLITE_DIR: testDatabase.dir }
  ;[user, other] = prepareDatabase(dbEnv, { users: 2 })
  server = await startServer({ ...dbEnv, METRICS_TOKEN })
})
after(async () => {
  await server?.stop('SIGTERM')
})

/** The value of one sample line, e.g. fc_rpc_requests_total{call="user.User/Login",code="00"}. */
function sample(text: string, name: string, labels: Record<string, string>): number {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`)
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && wanted.every((w) => l.includes(w)))
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0
}

test('counts at /metrics equal the calls made, per call and code', async () => {

  await call(server.base, LOGIN, { loginKey: 'nobody@example.com', loginValue: 'whatever-pass' })
  await call(server.base, LOGIN, { loginKey: other.email, loginValue: 'wrong-password' })
  await call(server.base, LOGIN, { loginKey: other.email, loginValue: 'wrong-password' })
  const { token } = (await call(server.base, LOGIN, { loginKey: user.email, loginValue: user.password })).json as { token: string }
  const body = { token, arrangementType: 'Deduction', productCode: '00000001', userId: user.userId }
  for (let i = 0; i < 3; i++) await call(server.base, CREATE, body)
  for (let i = 0; i < 2; i++) await call(server.base, CLOSE, body)
  for (let i = 0; i < 4; i++) await call(server.base, LIST, { token, arrangementType: 'Deduction', userId: user.userId })
  await call(server.base, LIST, { token: '', arrangementType: 'Deduction', userId: user.userId })

  assert.equal((await fetch(`${server.base}/metrics`)).status, 401, 'a token is required when one is configured')
  const text = await (await fetch(`${server.base}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text()
  const expected: [string, string, number][] = [
    [LOGIN, '01', 1], [LOGIN, '02', 2], [LOGIN, '00', 1],
    [CREATE, '00', 1], [CREATE, '16', 2],
    [CLOSE, '00', 1], [CLOSE, '17', 1],
    [LIST, '00', 4], [LIST, '03', 1],
  ]
  for (const [callName, code, count] of expected) {
    assert.equal(sample(text, 'fc_rpc_requests_total', { call: callName, code }), count, `${callName} ${code}`)
    assert.equal(sample(text, 'fc_rpc_duration_seconds_count', { call: callName, code }), count, `latency samples of ${callName} ${code}`)
  }
  assert.equal(sample(text, 'fc_login_outcomes_total', { code: '02' }), 2)
  assert.match(text, /^fc_active_sessions 1$/m)
  assert.match(text, /^process_resident_memory_bytes /m)
})

test('the release is named: fc_build_info at /metrics, the version in /readyz and in every log line', async () => {
  const headers = { authorization: `Bearer ${METRICS_TOKEN}` }
  const text = await (await fetch(`${server.base}/metrics`, { headers })).text()
  const commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim()
  const recorded = (JSON.parse(fs.readFileSync(path.join(root, 'dist/build-info.json'), 'utf8')) as { commit: string }).commit
  assert.match(recorded, /^[0-9a-f]{40}$/, 'the build recorded the commit it was made from')
  assert.match(text, new RegExp(`^fc_build_info\\{version="${VERSION.replaceAll('.', '\\.')}",commit="${recorded}"\\} 1$`, 'm'))
  // the build was made from this checkout, though maybe before its last commit
  assert.ok(recorded === commit || execFileSync('git', ['cat-file', '-t', recorded], { cwd: root, encoding: 'utf8' }).trim() === 'commit')
  const ready = (await (await fetch(`${server.base}/readyz`)).json()) as Record<string, unknown>
  assert.deepEqual(ready, { status: 'ready', version: VERSION, commit: recorded })
  const lines = server.output().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>)
  assert.ok(lines.length > 10)
  for (const line of lines) assert.equal(line.version, VERSION, JSON.stringify(line))
})
