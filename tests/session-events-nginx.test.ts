import { testDatabase } from '@/lib/testing/fresh-database'
// The session event stream through a real nginx with the configuration the README
// shows (tests/support/nginx.ts), unchanged: the app's `x-accel-buffering: no` keeps
// nginx from buffering it, so the first bytes and the `ended` event arrive as they are
// written, and a login through nginx ends the stream. It builds nothing: `npm run build` first.
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { call, startServer, type ServerProcess } from './support/server-process'
import { startNginx, type Nginx } from './support/nginx'
import { e2eUser, prepareDatabase } from './support/prepare-database'
import { LOGIN } from './support/rpc'
import { webLogin } from './support/web-login'

const dbEnv = testDatabase.kind === 'postgres' ? { DATABASE_URL: testDatabase.url } : { PGLITE_DIR: testDatabase.dir, DATABASE_URL: undefined }
let server: ServerProcess
let nginx: Nginx

before(async () => {
  prepareDatabase(dbEnv)
  server = await startServer({ ...dbEnv, TRUST_PROXY: '127.0.0.1' })
  nginx = await startNginx(server.base)
})

after(async () => {
  await nginx?.stop()
  if (server && !server.exited()) await server.stop('SIGKILL')
})

test('through nginx the stream is not buffered: it opens at once and ends when a login elsewhere ends the session', async () => {
  const user = e2eUser(5)
  const { cookie } = await webLogin(nginx.base, user)
  assert.ok(cookie)
  const res = await fetch(`${nginx.base}/api/session/events`, { headers: { cookie } })
  assert.equal(res.status, 200)
  assert.match(res.headers.get('content-type') ?? '', /^text\/event-stream/)
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader()
  // the retry hint is the first thing written: were nginx buffering, it would wait for more
  const first = await reader.read()
  assert.match(first.value ?? '', /^retry: \d+/)

  assert.equal((await call(nginx.base, LOGIN, { loginKey: user.email, loginValue: user.password })).json.code, '00')
  let text = ''
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) text += chunk.value
  const data = /event: ended\ndata: (.*)\n\n/.exec(text)?.[1]
  assert.ok(data, `no ended event in ${JSON.stringify(text)}`)
  assert.equal((JSON.parse(data) as { reason: string }).reason, 'REPLACED')
})

test('through nginx, no cookie is 401', async () => {
  const res = await fetch(`${nginx.base}/api/session/events`)
  assert.equal(res.status, 401)
})
