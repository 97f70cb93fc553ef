import { testDatabaseEnv } from './support/test-database-env'
// `npm run verify` against the built server: every case passes and nothing is left
// behind; a wrong password, an app that is down, a password on the command line and
// a service the account already has open each end in a clear message and a non-zero
// exit, with the account's own services untouched. It builds nothing: `npm run build` first.
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { after, before, test } from 'node:test'
import { call, freePort, root, startServer, type ServerProcess } from './support/server-process'
import { prepareDatabase, type TestUser } from './support/prepare-database'
import { LOGIN, CREATE, LIST } from './support/rpc'
import { tsxCommand } from '@/lib/testing/tsx-command'

const dbEnv = testDatabaseEnv()
let server: ServerProcess
let user: TestUser

before(async () => {
  ;[user] = prepareDatabase(dbEnv, { users: 1 })
  server = await startServer(dbEnv)
})

after(async () => {
  if (server && !server.exited()) await server.stop('SIGKILL')
})

function verify(args: string[], options: { password?: string; stdin?: string } = {}) {
  const env = { ...process.env, VERIFY_PASSWORD: options.password }
  if (options.password === undefined) delete env.VERIFY_PASSWORD
  const run = spawnSync(...tsxCommand(['scripts/verify.ts', ...args]), { cwd: root, env, input: options.stdin ?? '', encoding: 'utf8', timeout: 120_000 })
  return { status: run.status, out: run.stdout + run.stderr }
}

async function openProducts(): Promise<string[]> {
  const login = await call(server.base, LOGIN, { loginKey: user.email, loginValue: user.password })
  const list = await call(server.base, LIST, { token: login.json.token, arrangementType: 'Deduction', userId: user.userId })
  return (list.json.simpliedProductInfo as { productCode: string }[]).map((p) => p.productCode)
}

test('every case passes against the running app, one line each, and nothing is left open', async () => {
  const { status, out } = verify(['--url', server.base, '--email', user.email], { password: user.password })
  assert.equal(status, 0, out)
  for (const line of ['✔ the app at', '✔ login on device A', "✔ login on device B ends device A's session", '✔ open 00000001', '✔ the list shows it', '✔ close 00000001', '✔ the list no longer shows it', 'verify: every case passed']) {
    assert.ok(out.includes(line), `missing "${line}" in:\n${out}`)
  }
  assert.deepEqual(await openProducts(), [])
})

test('the password can come from standard input', () => {
  const { status, out } = verify(['--url', server.base, '--email', user.email, '--product', '00000002'], { stdin: `${user.password}\n` })
  assert.equal(status, 0, out)
})

test('a wrong password fails with a clear message', () => {
  const { status, out } = verify(['--url', server.base, '--email', user.email], { password: 'not-the-password' })
  assert.equal(status, 1, out)
  assert.match(out, /✖ login on device A — the e-mail or the password is wrong/)
})

test('an app that is down fails with a clear message', async () => {
  const { status, out } = verify(['--url', `http://127.0.0.1:${await freePort()}`, '--email', user.email], { password: user.password })
  assert.equal(status, 1, out)
  assert.match(out, /✖ the app at http:\/\/127\.0\.0\.1:\d+ answers — it does not answer/)
})

test('a password on the command line is refused; a service already open is left as it is', async () => {
  const refused = verify(['--url', server.base, '--email', user.email, '--password', user.password])
  assert.equal(refused.status, 2, refused.out)
  assert.match(refused.out, /never taken from the command line/)

  const login = await call(server.base, LOGIN, { loginKey: user.email, loginValue: user.password })
  const target = { token: login.json.token, arrangementType: 'Deduction', productCode: '00000002', userId: user.userId }
  assert.equal((await call(server.base, CREATE, target)).json.code, '00')
  const { status, out } = verify(['--url', server.base, '--email', user.email, '--product', '00000002'], { password: user.password })
  assert.equal(status, 1, out)
  assert.match(out, /✖ product 00000002 is not open yet — the account already has it open; it is left as it is/)
  assert.deepEqual(await openProducts(), ['00000002'])
})
