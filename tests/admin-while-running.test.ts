import '@/lib/testing/fresh-database'
// one database is enough: it runs on an embedded database of its own whatever the suite's database
// The admin command line, the seed and demo:reset while the built app runs on the
// embedded database and answers a steady load: they reach the database through the
// app's Unix socket (lib/db/embedded-socket.ts), never by opening its folder, and the
// load sees no error. A session the command line ends is ended live: the page open on it
// is told, as on PostgreSQL (docs/architecture.md#live-sign-out).
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { test } from 'node:test'
import { setTimeout as delay } from 'node:timers/promises'
import { call, root, startServer, waitUntil } from './support/server-process'
import { prepareDatabase } from './support/prepare-database'
import { CLOSE, CREATE, LIST, LOGIN } from './support/rpc'
import { openSessionStream } from './support/session-stream'
import { webLogin } from './support/web-login'
import { tsxCommand } from '@/lib/testing/tsx-command'

// between one user's open-or-close-and-list and the next
const LOAD_PAUSE_MS = 200

/** Runs a command against the database in `dir` without blocking this process, which keeps the load going. */
function run(args: string[], dir: string, input = '', env: Record<string, string> = {}): Promise<{ status: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const childEnv: NodeJS.ProcessEnv = { ...process.env, PGLITE_DIR: dir, ...env }
    delete childEnv.DATABASE_URL
    const child = spawn(...tsxCommand(args), { cwd: root, env: childEnv, stdio: ['pipe', 'pipe', 'pipe'] })
    let out = ''
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()))
    child.on('error', reject)
    child.on('close', (status) => resolve({ status, out }))
    child.stdin.end(input)
  })
}

test('admin commands, the seed and demo:reset work through the running app, which keeps answering without error', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fc-admin-live-'))
  const dbEnv = { PGLITE_DIR: dir, DATABASE_URL: undefined }
  // four users for the load, and one signed in in a browser whose session the command line ends
  const [pageUser, ...users] = prepareDatabase(dbEnv, { users: 5 })
  const server = await startServer(dbEnv)
  // set when the load is to stop: at its end, or when a step fails, so that the test ends then
  let stopping = false
  try {
    // the app advertises its socket in its lock file once it listens; only its owner may use it
    const lockFile = path.join(dir, 'fcdeduction.lock')
    await waitUntil(() => fs.existsSync(lockFile) && 'socket' in JSON.parse(fs.readFileSync(lockFile, 'utf8')), 10_000, () => server.output())
    const lock = JSON.parse(fs.readFileSync(lockFile, 'utf8')) as { pid: number; socket: string }
    assert.equal(lock.pid, server.child.pid)
    assert.equal(lock.socket, path.join(dir, '.s.PGSQL.5432'))
    const socket = fs.statSync(lock.socket)
    assert.ok(socket.isSocket())
    assert.equal(socket.mode & 0o777, 0o600)

    // the load: four users each opening and closing an agreement and listing, one call at a
    // time, each at most ten calls a second: a steady load, which leaves the machine to the
    // commands and to the test files running beside this one
    const tokens = await Promise.all(users.map(async (u) => (await call(server.base, LOGIN, { loginKey: u.email, loginValue: u.password })).json.token as string))
    const failures: string[] = []
    let calls = 0
    const loops = users.map(async (u, i) => {
      let open = false
      while (!stopping) {
        const body = { token: tokens[i], arrangementType: 'Deduction', productCode: '00000001', userId: u.userId }
        for (const method of [open ? CLOSE : CREATE, LIST]) {
          const answer = await call(server.base, method, body).catch((error: unknown) => ({ http: 0, json: { code: String(error) } }))
          calls++
          if (answer.http !== 200 || answer.json.code !== '00') failures.push(`${method}: ${answer.http} ${JSON.stringify(answer.json)}`)
        }
        open = !open
        await delay(LOAD_PAUSE_MS)
      }
    })
    await waitUntil(() => calls >= 40, 30_000, () => `the load made no progress: ${calls} calls, ${failures.join('; ')}`)

    // user:create, then the new user signs in to the app
    const email = 'dora.live@example.com'
    const created = await run(['scripts/admin.ts', 'user:create', '--email', email, '--name', 'Dora'], dir, 'dora-live-pass\n')
    assert.equal(created.status, 0, created.out)
    assert.match(created.out, /^Created user U\d+/m)
    // it says where it wrote: the app's database, reached through the app
    assert.ok(created.out.includes(`database: the embedded database in ${path.resolve(dir)} (through the running app's socket)`), created.out)
    const dora = await call(server.base, LOGIN, { loginKey: email, loginValue: 'dora-live-pass' })
    assert.equal(dora.json.code, '00', JSON.stringify(dora.json))

    // product:add, then the app opens a service on the new product
    const added = await run(['scripts/admin.ts', 'product:add', '--code', '00000077', '--name', '在线添加的产品', '--desc', 'added while the app runs', '--org', 'live'], dir)
    assert.equal(added.status, 0, added.out)
    assert.match(added.out, /Added product 00000077/)
    const opened = await call(server.base, CREATE, { token: dora.json.token, arrangementType: 'Deduction', productCode: '00000077', userId: dora.json.userId })
    assert.equal(opened.json.code, '00', JSON.stringify(opened.json))

    // session:list shows the live session, session:revoke ends it, and the app refuses its token at once
    const listed = await run(['scripts/admin.ts', 'session:list', '--email', email], dir)
    assert.equal(listed.status, 0, listed.out)
    const id = /^\s*([0-9a-f-]{36})\s+api\s.*\bACTIVE\b/m.exec(listed.out)?.[1]
    assert.ok(id, listed.out)
    const revoked = await run(['scripts/admin.ts', 'session:revoke', '--id', id], dir)
    assert.equal(revoked.status, 0, revoked.out)
    assert.match(revoked.out, new RegExp(`Revoked session ${id}`))
    const refused = await call(server.base, LIST, { token: dora.json.token, arrangementType: 'Deduction', userId: dora.json.userId })
    assert.equal(refused.json.code, '03', JSON.stringify(refused.json))

    // a page open on a web session: session:revoke through the socket ends its stream with the
    // notice, as a revoke on PostgreSQL does (the NOTIFY raised by the command's commit reaches
    // the app's listener)
    const { cookie } = await webLogin(server.base, pageUser)
    assert.ok(cookie, 'signed in through the form')
    const stream = await openSessionStream(server.base, cookie)
    const pageSessions = await run(['scripts/admin.ts', 'session:list', '--email', pageUser.email], dir)
    const pageSession = /^\s*([0-9a-f-]{36})\s.*\bACTIVE\b/m.exec(pageSessions.out)?.[1]
    assert.ok(pageSession, pageSessions.out)
    const revokedPage = await run(['scripts/admin.ts', 'session:revoke', '--id', pageSession], dir)
    assert.equal(revokedPage.status, 0, revokedPage.out)
    try {
      await waitUntil(() => /event: ended\ndata: .*"reason":"ADMIN"/.test(stream.text()), 10_000, () => `the open page was not told of the revoke:\n${stream.text()}`)
    } finally {
      await stream.close()
    }

    // the seed too (a second run: nothing to change)
    const seeded = await run(['prisma/seed.ts'], dir)
    assert.equal(seeded.status, 0, seeded.out)
    assert.match(seeded.out, /products:\s+00000001 unchanged, 00000002 unchanged/)

    stopping = true
    await Promise.all(loops)
    assert.deepEqual(failures, [], `${failures.length} of ${calls} calls failed`)

    // demo:reset (the load stopped: it removes its users); the app then knows only the seed
    const reset = await run(['scripts/demo-reset.ts'], dir, '', { DEMO_MODE: 'true' })
    assert.equal(reset.status, 0, reset.out)
    assert.match(reset.out, /^Removed \d+ rows/m)
    assert.equal((await call(server.base, LIST, { token: tokens[0], arrangementType: 'Deduction', userId: users[0].userId })).json.code, '03')
    assert.equal((await call(server.base, LOGIN, { loginKey: email, loginValue: 'dora-live-pass' })).json.code, '01')
    assert.equal((await call(server.base, LOGIN, { loginKey: 'alice@example.com', loginValue: 'alice-demo-pass' })).json.code, '00')

    // the folder was never opened twice: the app still owns it
    assert.equal((JSON.parse(fs.readFileSync(lockFile, 'utf8')) as { pid: number }).pid, server.child.pid)
  } finally {
    stopping = true
    const code = await server.stop('SIGTERM')
    assert.equal(code, 0, server.output().slice(-2000))
  }
  // a clean stop removes the socket and frees the folder: a command opens it directly again
  assert.equal(fs.existsSync(path.join(dir, '.s.PGSQL.5432')), false)
  assert.equal(fs.existsSync(path.join(dir, 'fcdeduction.lock')), false)
  const direct = await run(['scripts/admin.ts', 'session:list', '--email', 'alice@example.com'], dir)
  assert.equal(direct.status, 0, direct.out)
  assert.ok(direct.out.includes(`database: the embedded database in ${path.resolve(dir)} (opened by this command: no app is running on it)`), direct.out)
  fs.rmSync(dir, { recursive: true, force: true })
})
