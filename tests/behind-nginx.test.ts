import { testDatabase } from '@/lib/testing/fresh-database'
// Behind a real nginx, two clients at two addresses: the API door throttles each by
// its own address (TRUST_PROXY names nginx), not by the proxy's, and a client that
// writes its own X-Forwarded-For does not escape its bucket. Pages use the same rule
// (lib/http/client-address.ts). It builds nothing: `npm run build` first.
import assert from 'node:assert/strict'
import http from 'node:http'
import { after, before, test } from 'node:test'
import { startServer, type ServerProcess } from './support/server-process'
import { startNginx, type Nginx } from './support/nginx'
import { E2E_PASSWORD, e2eUser, prepareDatabase } from './support/prepare-database'
import { queryTestDatabase } from './support/query-test-database'

const dbEnv = testDatabase.kind === 'postgres' ? { DATABASE_URL: testDatabase.url } : { PGLITE_DIR: testDatabase.dir, DATABASE_URL: undefined }
// two failures per account, twenty per address
const MAX_FAILURES = 2

let server: ServerProcess
let nginx: Nginx

before(async () => {
  prepareDatabase(dbEnv)
  server = await startServer({ ...dbEnv, TRUST_PROXY: '127.0.0.1', LOGIN_MAX_FAILURES: String(MAX_FAILURES) })
  nginx = await startNginx(server.base)
})

after(async () => {
  await nginx?.stop()
  if (server && !server.exited()) await server.stop('SIGKILL')
})

/** A Login through nginx from a client at `from` (an address of the loopback network). */
function loginFrom(from: string, body: object, headers: Record<string, string> = {}): Promise<string> {
  const payload = JSON.stringify(body)
  const { hostname, port } = new URL(nginx.base)
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: hostname, port, path: '/api/user.User/Login', method: 'POST', localAddress: from, agent: false, headers: { 'content-type': 'application/json', ...headers } },
      (res) => {
        let text = ''
        res.on('data', (chunk: Buffer) => (text += chunk.toString()))
        res.on('end', () => (res.statusCode === 200 ? resolve((JSON.parse(text) as { code: string }).code) : reject(new Error(`HTTP ${res.statusCode}: ${text}`))))
      },
    )
    req.on('error', reject)
    req.end(payload)
  })
}

test('one client spends its address budget; another behind the same proxy still logs in', async () => {
  const codes: string[] = []
  for (let i = 0; i < MAX_FAILURES * 10 + 3; i++) {
    // each attempt names another unknown account, and claims another address in its own X-Forwarded-For
    codes.push(await loginFrom('127.0.0.2', { loginKey: `nobody${i}@example.com`, loginValue: 'wrong-password' }, { 'x-forwarded-for': `203.0.113.${i + 1}` }))
  }
  assert.ok(!codes.includes('00'))
  assert.deepEqual(codes.slice(-3), ['05', '05', '05'], `the first client's answers: ${codes.join(' ')}`)
  assert.equal(await loginFrom('127.0.0.3', { loginKey: e2eUser(3).email, loginValue: E2E_PASSWORD }), '00', 'the second client is not throttled')
})

test('the login records carry each client address, never the proxy address or a claimed one', async () => {
  assert.equal(await server.stop('SIGTERM'), 0)
  const rows = await queryTestDatabase<{ ip: string; n: number }>('SELECT ip_address AS ip, count(*)::int AS n FROM de_login_attempt GROUP BY ip_address ORDER BY ip_address')
  assert.deepEqual(rows.map((r) => r.ip), ['127.0.0.2', '127.0.0.3'])
})
