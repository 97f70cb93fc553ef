// one database is enough: the HTTP edge decides all of this before any statement runs
import '@/lib/testing/fresh-database'
// The server decides what a request is (the API, a probe, the sign-out stream or a
// page) from its path, and only pages' POSTs meet the origin check. So a path that
// says "/api/" but resolves to a page (dot segments, their percent-encodings in any
// case, encoded slashes, backslashes, doubled slashes) must never pass as the API:
// such spellings are refused with 400 before any decision, and every POST that is
// not an API call meets the origin check. The requests are written with node:http,
// which sends the path as given (fetch would resolve the dot segments itself).
// It builds nothing: `npm run build` first.
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { rawPathRequest } from './support/raw-path'
import { startServer, type ServerProcess } from './support/server-process'
import { LOGIN } from './support/rpc'

let server: ServerProcess

before(async () => {
  server = await startServer()
})

after(async () => {
  if (server && !server.exited()) await server.stop('SIGKILL')
})

const CROSS_SITE = { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site', 'content-type': 'text/plain;charset=UTF-8' }

// every one of these would reach /login (or another page) once resolved
const SPELLINGS = [
  '/api/../login',
  '/api/./../login',
  '/api/%2e%2e/login',
  '/api/%2E%2E/login',
  '/api/%2e%2E/login',
  '/api/.%2e/login',
  '/api/%2e./login',
  '/api/..%2flogin',
  '/api/..%2Flogin',
  '/api%2f..%2flogin',
  '/api/..\\login',
  '/api\\..\\login',
  '/api/..%5clogin',
  '/api/..%5Clogin',
  '/api//../login',
  '//api/../login',
  '/api/session/events/../../../login',
  `/api/${LOGIN}/../../../login`,
  '/healthz/../login',
  '/api/../login?next=/services',
  '/api/%2e%2e/%6cogin',
]

test('a cross-origin POST to a page through any spelling of /api/.. is refused (400), never answered by the page', async () => {
  const answered: string[] = []
  for (const path of SPELLINGS) {
    for (const action of [{}, { 'next-action': '6036266027ab22a16d3a8c2eb0940bacfbac610702' }] as Record<string, string>[]) {
      const { status, text } = await rawPathRequest(server.base, 'POST', path, { ...CROSS_SITE, ...action }, '[]')
      if (status !== 400) answered.push(`POST ${path}${'next-action' in action ? ' (with Next-Action)' : ''} → ${status} ${text.slice(0, 60)}`)
    }
  }
  assert.deepEqual(answered, [], 'every non-canonical spelling is refused with 400')
})

test('the same spellings are refused for GET too: one decision for every method', async () => {
  const answered: string[] = []
  for (const path of SPELLINGS) {
    const { status } = await rawPathRequest(server.base, 'GET', path)
    if (status !== 400) answered.push(`GET ${path} → ${status}`)
  }
  assert.deepEqual(answered, [])
})

test('every POST that is not an API call meets the origin check, /api/ paths included', async () => {
  for (const path of ['/login', '/services', '/api/anything', '/api/auth/signin', '/api', '/api/session/eventsx']) {
    const { status, text } = await rawPathRequest(server.base, 'POST', path, CROSS_SITE, '[]')
    assert.equal(status, 403, `POST ${path} from another origin: ${text}`)
    assert.match(text, /cross-origin request refused/)
  }
})

test('canonical paths still reach their door: the API, the probes, pages (a trailing slash is not a doubled one)', async () => {
  const api = await rawPathRequest(server.base, 'POST', `/api/${LOGIN}`, { ...CROSS_SITE, 'content-type': 'application/json' }, '{}')
  assert.equal(api.status, 200, 'the API needs no Origin: it uses no cookies')
  assert.equal((JSON.parse(api.text) as { code: string }).code, '10')
  assert.equal((await rawPathRequest(server.base, 'GET', '/healthz')).status, 200)
  assert.equal((await rawPathRequest(server.base, 'GET', '/login')).status, 200)
  assert.equal((await rawPathRequest(server.base, 'GET', '/login?next=%2Fservices%2F..%2Fdevices')).status, 200, 'the query string is not the path')
  assert.equal((await rawPathRequest(server.base, 'GET', '/login/')).status, 308, 'Next sends a trailing slash to the path without it')
})
