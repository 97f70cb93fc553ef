// one database is enough: uses no database
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import assert from 'node:assert/strict'
import { after, before, mock, test } from 'node:test'
import { withRequestLog } from '@/lib/http/request-log'
import { accessLogger } from '@/lib/observability/logger'

// The access line of every request: the sign link's token is a bearer secret (only its
// hash is stored, docs/merchants.md#the-sign-link), so it must not reach the log
// through the path either.
const server = http.createServer(withRequestLog((_req, res) => res.end('ok')))
let base = ''
const lines: Record<string, unknown>[] = []

let level = ''

before(async () => {
  // the suite runs at whatever LOG_LEVEL it is given; these lines are asked for
  level = accessLogger.level
  accessLogger.level = 'debug'
  for (const level of ['info', 'debug', 'error'] as const) {
    mock.method(accessLogger, level, (line: Record<string, unknown>) => void lines.push(line))
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

after(() => {
  mock.restoreAll()
  accessLogger.level = level
  server.close()
})

async function loggedPath(path: string): Promise<string> {
  const res = await fetch(`${base}${path}`)
  await res.text()
  const requestId = res.headers.get('x-request-id')
  // the line is written when the response closes, just after the client has the answer
  for (let i = 0; i < 100 && !lines.some((l) => l.requestId === requestId); i++) await new Promise((r) => setImmediate(r))
  const line = lines.find((l) => l.requestId === requestId)
  assert.ok(line, `no access line for ${path}`)
  return String(line.path)
}

test("a sign link's token never reaches the access line; the rest of the path does", async () => {
  const token = 'Zq81xY-abcdefghijklmnopqrstuvwxyz0123456789'
  for (const path of [`/sign/${token}`, `/sign/${token}/status`, `//sign/${token}`, `/sign/${token}?x=1`]) {
    const logged = await loggedPath(path)
    assert.ok(!logged.includes(token), `${path} logged as ${logged}`)
    assert.match(logged, /^\/+sign\/:token(\/status)?$/)
  }
  assert.equal(await loggedPath('/services/open'), '/services/open')
  assert.equal(await loggedPath('/signed/elsewhere'), '/signed/elsewhere')
})
