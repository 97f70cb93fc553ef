import { testDatabaseEnv } from './support/test-database-env'
// No deduction arrangement at all (its row deleted by an operator): every page a signed-in
// user can reach says so (code 15), with status 200, rather than an error page, and the API
// answers 15. It builds nothing: `npm run build` first.
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { call, startServer, type ServerProcess } from './support/server-process'
import { prepareDatabase, type TestUser } from './support/prepare-database'
import { queryTestDatabase } from './support/query-test-database'
import { webLogin } from './support/web-login'
import { LIST, LOGIN } from './support/rpc'

const dbEnv = testDatabaseEnv()

let server: ServerProcess
// one user for the pages, one for the API
let webUser: TestUser
let apiUser: TestUser

before(async () => {
  ;[webUser, apiUser] = prepareDatabase(dbEnv, { users: 2 })
  // before the server starts: the embedded database belongs to one process at a time
  await queryTestDatabase(`DELETE FROM de_ar WHERE ar_type = 'Deduction'`)
  server = await startServer(dbEnv)
})

after(async () => {
  if (server && !server.exited()) await server.stop('SIGKILL')
})

test('list, catalogue, detail and close pages all show the arrangement-missing notice', async () => {
  const { cookie } = await webLogin(server.base, webUser)
  assert.ok(cookie, 'signed in')
  for (const path of ['/services', '/services/open', '/services/00000001', '/services/00000001/close']) {
    const res: Response = await fetch(`${server.base}${path}`, { headers: { cookie }, redirect: 'manual' })
    const html = await res.text()
    assert.equal(res.status, 200, path)
    assert.match(html, /data-testid="arrangement-missing"/, path)
  }
  // another arrangement type named in the URL, which has none either, is not found
  assert.equal((await fetch(`${server.base}/services/00000001?type=Parking`, { headers: { cookie }, redirect: 'manual' })).status, 404)
})

test('the API answers 15', async () => {
  const who = apiUser
  const login = (await call(server.base, LOGIN, { loginKey: who.email, loginValue: who.password })).json as { token: string; userId: string }
  const list = (await call(server.base, LIST, { token: login.token, arrangementType: 'Deduction', userId: login.userId })).json
  assert.equal(list.code, '15')
})
