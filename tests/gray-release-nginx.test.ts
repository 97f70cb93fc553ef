// one database is enough: it runs on PostgreSQL whatever the suite's database (a private server when the suite has none)
// How the gray-release nginx (deploy/nginx.conf) picks a version, with two instances of the
// head standing for the two groups (instance 0 the release in service, 1 the new one), at
// share 50 (docs/operations.md#releasing):
//   - a user's bucket, given at login, keeps every later call of theirs on one group, from any
//     address, through the JSON door and through gRPC alike;
//   - a browser's first page sets the visitor cookie, and its later requests follow it;
//     signing in gives the bucket cookie, which the requests follow from then on;
//   - `npm run release:share` moves everyone with 0 and 100, and refuses a share that is not one.
// Builds nothing: `npm run build` first.
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import fs from 'node:fs'
import net from 'node:net'
import { after, before, test } from 'node:test'
import tls from 'node:tls'
import { createClient } from '@connectrpc/connect'
import { createGrpcTransport } from '@connectrpc/connect-node'
import { RELEASE_BUCKET_COOKIE, RELEASE_BUCKET_HEADER } from '@/lib/release/bucket'
import { readShare } from '@/lib/release/share'
import { httpsRequest } from './support/nginx'
import { deployBehindNginx, sharedPostgres, type Deployment } from './support/nginx-deployment'
import { prepareDatabase, type TestUser } from './support/prepare-database'
import { LIST, LOGIN } from './support/rpc'
import { root } from './support/server-process'
import { Company } from '../lib/gen/deduction_pb'
import { tsxCommand } from '@/lib/testing/tsx-command'

let database: { url: string; destroy: () => void } | undefined
let site: Deployment | undefined
let users: TestUser[] = []

before(async () => {
  database = await sharedPostgres()
  users = prepareDatabase({ DATABASE_URL: database.url }, { users: 7 })
  site = await deployBehindNginx({ databaseUrl: database.url, grayShare: 50 })
})

after(async () => {
  await site?.stop()
  database?.destroy()
})

/** A GET through nginx with these headers: the answer, and which instance logged it. */
async function get(pathname: string, headers: Record<string, string> = {}, from?: string) {
  const requestId = randomUUID()
  const answer = await httpsRequest(`${site!.base}${pathname}`, { ca: site!.ca, headers: { 'x-request-id': requestId, ...headers }, localAddress: from })
  return { answer, instance: await site!.servedBy(requestId) }
}

const setCookies = (headers: Record<string, string | string[] | undefined>) => ([] as string[]).concat(headers['set-cookie'] ?? [])

function releaseShare(share: string): Promise<{ code: number; out: string }> {
  return new Promise((resolve) =>
    execFile(...tsxCommand(['scripts/release-share.ts', share]), { cwd: root, env: { ...process.env, ...site!.nginx.releaseShareEnv } }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, out: stdout + stderr }),
    ),
  )
}

test('a user\u2019s bucket keeps their calls on one group from every address, through the JSON door and gRPC', async () => {
  const grpcCa = fs.readFileSync(site!.ca)
  const groups = new Map<string, Set<number>>()
  for (let n = 0; n < 6; n++) {
    const user = users[n]
    const login = await site!.call(LOGIN, { loginKey: user.email, loginValue: user.password }, { from: `127.0.0.${40 + n}` })
    assert.equal(login.json.code, '00')
    const bucket = login.headers[RELEASE_BUCKET_HEADER]
    assert.match(String(bucket), /^[A-Za-z0-9_-]{22}$/, 'the login gives the bucket')
    const seen = new Set<number>()
    const list = { token: String(login.json.token), arrangementType: 'Deduction', userId: user.userId }
    for (let k = 0; k < 4; k++) {
      const answer = await site!.call(LIST, list, { from: `127.0.0.${60 + k}`, headers: { [RELEASE_BUCKET_HEADER]: String(bucket) } })
      assert.equal(answer.json.code, '00')
      seen.add(answer.instance)
    }
    // gRPC, with the bucket in its metadata, from yet another address
    const fromClient = (authority: URL) =>
      tls.connect({ socket: net.connect({ host: authority.hostname, port: Number(authority.port), localAddress: '127.0.0.70' }), host: authority.hostname, ca: grpcCa, ALPNProtocols: ['h2'] })
    const company = createClient(Company, createGrpcTransport({ baseUrl: site!.grpcBase, nodeOptions: { createConnection: fromClient } }))
    for (let k = 0; k < 2; k++) {
      const requestId = randomUUID()
      const answer = await company.queryDeductionListByUserIdAndArType(list, { headers: { 'x-request-id': requestId, [RELEASE_BUCKET_HEADER]: String(bucket) } })
      assert.equal(answer.code, '00')
      seen.add(await site!.servedBy(requestId))
    }
    assert.equal(seen.size, 1, `${user.email}'s calls were answered by one group`)
    groups.set(user.email, seen)
  }
  // the same user logging in again gets the same bucket
  const again = await site!.call(LOGIN, { loginKey: users[0].email, loginValue: users[0].password }, { from: '127.0.0.99' })
  const first = await site!.call(LOGIN, { loginKey: users[0].email, loginValue: users[0].password })
  assert.equal(again.headers[RELEASE_BUCKET_HEADER], first.headers[RELEASE_BUCKET_HEADER], 'one bucket per user, whatever the device')
  console.log(`share 50%: six API users by group: ${JSON.stringify(Object.fromEntries([...groups].map(([email, s]) => [email, [...s][0] === 0 ? 'old' : 'new'])))}`)
})

test('a browser follows its visitor cookie until it signs in, then its bucket cookie', async () => {
  const first = await get('/login')
  assert.equal(first.answer.status, 200)
  const visitor = setCookies(first.answer.headers).find((c) => c.startsWith('fc_visitor='))
  assert.ok(visitor, 'the first page sets the visitor cookie')
  assert.match(visitor, /; Secure; HttpOnly; SameSite=Lax/)
  const cookie = visitor.split(';')[0]
  for (let k = 0; k < 5; k++) {
    const next = await get('/login', { cookie }, `127.0.0.${80 + k}`)
    assert.equal(next.instance, first.instance, 'later requests with the cookie reach the group that served the first page')
    assert.equal(setCookies(next.answer.headers).filter((c) => c.startsWith('fc_visitor=')).length, 0, 'and are not given another')
  }
  // the JSON door sets no cookie: its clients keep none
  const api = await httpsRequest(`${site!.base}/api/${LOGIN}`, { ca: site!.ca, method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
  assert.equal(setCookies(api.headers).filter((c) => c.startsWith('fc_visitor=')).length, 0)

  // once signed in, the bucket cookie decides, whatever the visitor cookie says
  const user = users[6]
  const login = await site!.call(LOGIN, { loginKey: user.email, loginValue: user.password })
  const bucket = String(login.headers[RELEASE_BUCKET_HEADER])
  const byBucket = await site!.call(LIST, { token: String(login.json.token), arrangementType: 'Deduction', userId: user.userId }, { headers: { [RELEASE_BUCKET_HEADER]: bucket } })
  for (let k = 0; k < 3; k++) {
    const signedIn = await get('/login', { cookie: `${cookie}; ${RELEASE_BUCKET_COOKIE}=${bucket}` })
    assert.equal(signedIn.instance, byBucket.instance, 'the bucket cookie and the bucket header lead to one group')
  }
})

test('release:share 0 sends everyone to the release in service, 100 to the new one; a share that is not one changes nothing', async () => {
  const shareFile = site!.nginx.releaseShareEnv.FC_RELEASE_SHARE_FILE
  for (const bad of ['150', '-5', 'half', '5%']) {
    const refused = await releaseShare(bad)
    assert.equal(refused.code, 2, `${bad}: ${refused.out}`)
    assert.match(refused.out, /the share is a percentage from 0 to 100/)
    assert.equal(readShare(fs.readFileSync(shareFile, 'utf8')), 50, 'the share file is as it was')
  }
  for (const [share, instance] of [['0', 0], ['100', 1], ['0', 0]] as const) {
    const moved = await releaseShare(share)
    assert.equal(moved.code, 0, moved.out)
    assert.match(moved.out, new RegExp(`→ ${share}% .*nginx reloaded`))
    // a reload lets the old workers finish: wait until ten requests in a row, each with another key, reach the group
    let inARow = 0
    for (let tries = 0; inARow < 10; tries++) {
      assert.ok(tries < 300, `share ${share}: requests still reach the other group`)
      inARow = (await get('/login', { cookie: `fc_visitor=${randomUUID()}` })).instance === instance ? inARow + 1 : 0
    }
  }
})
