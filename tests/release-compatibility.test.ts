// one database is enough: it runs on PostgreSQL whatever the suite's database (a private server when the suite has none)
// The release before this one and the head, side by side on one database migrated by the
// head, behind the gray-release nginx (deploy/nginx.conf) — what a release looks like
// halfway (docs/operations.md#releasing):
//   - at share 50, several users through the JSON door and in browsers: each user is answered
//     by one version throughout (API calls: the instance that logged the request; browsers:
//     the version /readyz reports through their cookies), and login, open, list, close, and
//     the live sign-out notice work across the two versions;
//   - `npm run release:share -- 0` (the rollback) sends everyone to the previous release, and
//     nothing done at share 50 is lost.
// It prints the users per version at share 50 and what it found at share 0.
// The previous release (deploy/previous-release) is built first, in a git worktree
// (tests/support/previous-release.ts): the first run on a machine takes several minutes,
// most of them that build, which is kept for the next runs.
// `npm run build` first, for the head.
import { randomBytes, randomUUID } from 'node:crypto'
import { execFile } from 'node:child_process'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, before, test } from 'node:test'
import type { Browser, BrowserContext, Page } from '@playwright/test'
import { VERSION } from '@/lib/observability/build-info'
import { RELEASE_BUCKET_HEADER } from '@/lib/release/bucket'
import { launchChromium, signInWithForm } from './support/chromium'
import { httpsRequest, selfSignedCertificate, startNginx, type Nginx } from './support/nginx'
import { NGINX_ADDRESS, sharedPostgres } from './support/nginx-deployment'
import { prepareDatabase, type TestUser } from './support/prepare-database'
import { buildPreviousRelease, type PreviousRelease } from './support/previous-release'
import { CLOSE, CREATE, LIST, LOGIN } from './support/rpc'
import { call, freePort, root, startServer, waitUntil, type ServerProcess } from './support/server-process'
import { tsxCommand } from '@/lib/testing/tsx-command'

const PREVIOUS = 'previous'
const HEAD = 'head'
type Side = typeof PREVIOUS | typeof HEAD
const PRODUCT = '00000001'
// The JSON door's users sign in until there are ten and both versions have some (a login
// the head answered is then split by the bucket it gives, at random), at most twenty.
const API_USERS = 10
const API_USERS_AT_MOST = 20
const BROWSER_USERS = 3

let previous: PreviousRelease | undefined
let database: { url: string; destroy: () => void } | undefined
let dir: string | undefined
let servers: Record<Side, ServerProcess> | undefined
let nginx: Nginx | undefined
let browser: Browser | undefined
let ca = ''
// what each instance's /readyz said at start, and the head's commit
let readiness: Record<Side, Record<string, unknown>>
let headCommit = ''
let users: TestUser[] = []

before(async () => {
  previous = await buildPreviousRelease((line) => console.log(line))
  database = await sharedPostgres()
  // ten API users and three browser users
  users = prepareDatabase({ DATABASE_URL: database.url }, { users: API_USERS_AT_MOST + BROWSER_USERS })
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fc-gray-'))
  const certificate = selfSignedCertificate(dir)
  ca = certificate.cert
  const [port, grpcPort] = [await freePort(), await freePort()]
  const env = { DATABASE_URL: database.url, PGLITE_DIR: undefined, AUTH_SECRET: randomBytes(32).toString('hex'), PUBLIC_URL: `https://127.0.0.1:${port}`, TRUST_PROXY: NGINX_ADDRESS }
  const [old, head] = await Promise.all([startServer(env, { root: previous.dir }), startServer(env)])
  servers = { previous: old, head }
  // each group is one instance, named twice (a group of two, as the site file has)
  nginx = await startNginx({
    port,
    grpcPort,
    upstreams: [old.base, old.base],
    grpcUpstreams: [old.grpcPort, old.grpcPort],
    newUpstreams: [head.base, head.base],
    newGrpcUpstreams: [head.grpcPort, head.grpcPort],
    share: 50,
    certificate,
  })
  browser = await launchChromium()
  readiness = Object.fromEntries(
    await Promise.all((Object.keys(servers) as Side[]).map(async (s) => [s, (await (await fetch(`${servers![s].base}/readyz`)).json()) as Record<string, unknown>])),
  ) as Record<Side, Record<string, unknown>>
  headCommit = String(readiness.head.commit)
})

after(async () => {
  await browser?.close()
  await nginx?.stop()
  await Promise.all(Object.values(servers ?? {}).map((s) => s.stop('SIGTERM')))
  database?.destroy()
  if (dir) fs.rmSync(dir, { recursive: true, force: true })
  previous?.remove()
})

/** Which side answered: the head names its version in /readyz, the previous release (0.1.0, before versions were reported) does not or names another. */
function sideOfReadiness(body: Record<string, unknown>): Side {
  return body.version === VERSION && body.commit === headCommit ? HEAD : PREVIOUS
}

/** Which side logged the request with this id. */
async function servedBy(requestId: string): Promise<Side> {
  const marker = `"requestId":"${requestId}"`
  let side: Side | undefined
  await waitUntil(
    () => {
      const hits = (Object.keys(servers!) as Side[]).filter((s) => servers![s].output().includes(marker))
      if (hits.length > 1) throw new Error(`both versions logged request ${requestId}`)
      side = hits[0]
      return side !== undefined
    },
    30_000,
    () => `no instance logged request ${requestId}`,
  )
  return side!
}

type ApiUser = { user: TestUser; from: string; token: string; headers: Record<string, string>; sides: Side[] }

/** A Connect JSON call through nginx, from the user's own address, with their bucket once they have one: its answer and who served it. */
async function apiCall(from: string, method: string, body: object, headers: Record<string, string> = {}) {
  const requestId = randomUUID()
  const answer = await httpsRequest(`${nginx!.base}/api/${method}`, {
    ca,
    method: 'POST',
    localAddress: from,
    headers: { 'content-type': 'application/json', 'x-request-id': requestId, ...headers },
    body: JSON.stringify(body),
  })
  assert.equal(answer.status, 200, `${method}: HTTP ${answer.status} ${answer.text}`)
  return { json: JSON.parse(answer.text) as Record<string, unknown> & { code?: string }, side: await servedBy(requestId), headers: answer.headers }
}

/**
 * `count` loopback addresses, half of them sent to each version by nginx, interleaved. The
 * JSON door is split by the caller's address until a login gives a bucket, so where an
 * address's login goes is fixed by its hash: found here by asking, with a call that signs
 * no one in (no token: code 03). Ten fixed addresses once all fell on one side.
 */
async function addressesOnBothSides(count: number): Promise<string[]> {
  const found: Record<Side, string[]> = { [PREVIOUS]: [], [HEAD]: [] }
  for (let host = 20; found[PREVIOUS].length + found[HEAD].length < count; host++) {
    if (host > 250) throw new Error(`no ${count / 2} addresses on each side among 127.0.0.20-250: ${JSON.stringify(found)}`)
    const from = `127.0.0.${host}`
    const { side } = await apiCall(from, LIST, { token: '', arrangementType: 'Deduction', userId: '' })
    if (found[side].length < count / 2) found[side].push(from)
  }
  return found[PREVIOUS].flatMap((from, i) => [from, found[HEAD][i]])
}

const listed = (json: Record<string, unknown>) => ((json.simpliedProductInfo ?? []) as { productCode: string }[]).map((p) => p.productCode)

type WebUser = { user: TestUser; context: BrowserContext; page: Page; sides: Side[] }

/** The side a browser's requests reach now: /readyz through nginx with the browser's cookies. */
async function browserSide(context: BrowserContext): Promise<Side> {
  const res = await context.request.get('/readyz')
  assert.equal(res.status(), 200)
  return sideOfReadiness((await res.json()) as Record<string, unknown>)
}

const apiUsers: ApiUser[] = []
const webUsers: WebUser[] = []

test('at share 50, each user stays on one version, and login, open, list, close and the live sign-out notice work across the two', async () => {
  assert.equal(readiness.head.version, VERSION, 'the head names its version')
  assert.match(headCommit, /^[0-9a-f]{40}$/, 'and the commit it was built from')
  assert.notDeepEqual([readiness.previous.version, readiness.previous.commit], [readiness.head.version, readiness.head.commit], 'the previous release is another release')
  console.log(`versions: previous ${previous!.tag} (${previous!.commit.slice(0, 12)}) reports ${JSON.stringify(readiness.previous)}; head reports ${JSON.stringify(readiness.head)}`)

  // the JSON door: ten users or more, each from an address of their own, whose logins fall half on each version
  const addresses = await addressesOnBothSides(API_USERS_AT_MOST)
  const bothSides = () => new Set(apiUsers.map((u) => u.sides[0])).size === 2
  for (let i = 0; i < API_USERS || (i < API_USERS_AT_MOST && !bothSides()); i++) {
    const user = users[i]
    const from = addresses[i]
    const login = await apiCall(from, LOGIN, { loginKey: user.email, loginValue: user.password })
    assert.equal(login.json.code, '00', `login of ${user.email}: ${JSON.stringify(login.json)}`)
    // the head gives the bucket; a login the previous release answered leaves the client on its address
    const bucket = login.headers[RELEASE_BUCKET_HEADER]
    if (login.side === HEAD) assert.match(String(bucket), /^[A-Za-z0-9_-]{22}$/, 'the head gives the user\u2019s bucket at login')
    const headers: Record<string, string> = typeof bucket === 'string' ? { [RELEASE_BUCKET_HEADER]: bucket } : {}
    const api: ApiUser = { user, from, token: String(login.json.token), headers, sides: [] }
    const target = { token: api.token, arrangementType: 'Deduction', productCode: PRODUCT, userId: user.userId }
    const step = async (method: string, body: object) => {
      const answer = await apiCall(from, method, body, headers)
      api.sides.push(answer.side)
      return answer.json
    }
    assert.equal((await step(CREATE, target)).code, '00', 'open')
    assert.deepEqual(listed(await step(LIST, { token: api.token, arrangementType: 'Deduction', userId: user.userId })), [PRODUCT], 'list')
    assert.equal((await step(CLOSE, target)).code, '00', 'close')
    assert.deepEqual(listed(await step(LIST, { token: api.token, arrangementType: 'Deduction', userId: user.userId })), [], 'closed')
    assert.equal((await step(CREATE, target)).code, '00', 'open again')
    assert.equal(new Set(api.sides).size, 1, `${user.email} was answered by one version: ${api.sides.join(', ')}`)
    // the other version reads what this one wrote, with the token this one gave
    const other = servers![api.sides[0] === HEAD ? PREVIOUS : HEAD]
    const there = await call(other.base, LIST, { token: api.token, arrangementType: 'Deduction', userId: user.userId })
    assert.equal(there.json.code, '00', `the other version takes the token: ${JSON.stringify(there.json)}`)
    assert.deepEqual(listed(there.json), [PRODUCT], 'and lists the agreement')
    apiUsers.push(api)
  }

  // browsers: three users sign in through the login page, then their requests stay on one version
  for (let i = 0; i < BROWSER_USERS; i++) {
    const user = users[API_USERS_AT_MOST + i]
    const context = await browser!.newContext({ baseURL: nginx!.base, ignoreHTTPSErrors: true, locale: 'zh-CN' })
    const page = await context.newPage()
    await signInWithForm(page, user)
    const web: WebUser = { user, context, page, sides: [] }
    for (let k = 0; k < 4; k++) {
      await page.goto('/services')
      assert.match(page.url(), /\/services$/, 'still signed in')
      web.sides.push(await browserSide(context))
    }
    assert.equal(new Set(web.sides).size, 1, `${user.email}'s browser was answered by one version: ${web.sides.join(', ')}`)
    webUsers.push(web)
  }

  const count = (side: Side) => ({ api: apiUsers.filter((u) => u.sides[0] === side).length, browser: webUsers.filter((u) => u.sides[0] === side).length })
  const perVersion = { [`previous ${previous!.tag}`]: count(PREVIOUS), [`head ${VERSION} (${headCommit.slice(0, 12)})`]: count(HEAD) }
  console.log(`share 50%: users per version ${JSON.stringify(perVersion)}`)
  for (const side of [PREVIOUS, HEAD] as Side[]) {
    const { api, browser: web } = count(side)
    assert.ok(api + web > 0, `some users are on the ${side} version at share 50`)
  }

  // the live sign-out notice across versions: a login on the other version ends the page's session
  const watched = webUsers[0]
  const elsewhere = servers![watched.sides[0] === HEAD ? PREVIOUS : HEAD]
  const relogin = await call(elsewhere.base, LOGIN, { loginKey: watched.user.email, loginValue: watched.user.password })
  assert.equal(relogin.json.code, '00')
  await watched.page.waitForURL(/\/login\?.*reason=elsewhere/, { timeout: 15_000 })
  await watched.page.getByTestId('signed-elsewhere-notice').waitFor()
  console.log(`live sign-out notice: a login on the ${watched.sides[0] === HEAD ? PREVIOUS : HEAD} version ended a page open on the ${watched.sides[0]} version`)
})

test('share 0 (npm run release:share -- 0) sends everyone to the previous release, with nothing lost', async () => {
  assert.ok(apiUsers.length > 0, 'the share-50 test ran first')
  const output = await new Promise<string>((resolve, reject) =>
    execFile(...tsxCommand(['scripts/release-share.ts', '0']), { cwd: root, env: { ...process.env, ...nginx!.releaseShareEnv } }, (error, stdout, stderr) =>
      error ? reject(new Error(`release:share 0 failed: ${error.message}\n${stdout}${stderr}`)) : resolve(stdout),
    ),
  )
  assert.match(output, /new release share: 50% → 0%/)
  // a reload starts new workers and lets the old ones finish: wait until requests reach the new ones
  let previousInARow = 0
  await waitUntil(
    async () => {
      const res = await httpsRequest(`${nginx!.base}/readyz`, { ca })
      previousInARow = sideOfReadiness(JSON.parse(res.text) as Record<string, unknown>) === PREVIOUS ? previousInARow + 1 : 0
      return previousInARow >= 10
    },
    30_000,
    () => 'nginx still sends requests to the head after the share went to 0',
  )

  let agreements = 0
  for (const api of apiUsers) {
    const answer = await apiCall(api.from, LIST, { token: api.token, arrangementType: 'Deduction', userId: api.user.userId }, api.headers)
    assert.equal(answer.side, PREVIOUS, `${api.user.email} is on the previous release`)
    assert.equal(answer.json.code, '00', `${api.user.email}'s token still works: ${JSON.stringify(answer.json)}`)
    assert.deepEqual(listed(answer.json), [PRODUCT], `${api.user.email}'s agreement opened at share 50 is still open`)
    agreements++
  }
  let stillSignedIn = 0
  for (const web of webUsers.slice(1)) {
    await web.page.goto('/services')
    assert.match(web.page.url(), /\/services$/, `${web.user.email} is still signed in`)
    assert.equal(await browserSide(web.context), PREVIOUS)
    stillSignedIn++
  }
  for (const web of webUsers) await web.context.close()
  console.log(
    `share 0%: all ${apiUsers.length + webUsers.length - 1} users on the previous release ${previous!.tag}; ` +
      `${agreements} of ${apiUsers.length} agreements opened at share 50 still open there; ${stillSignedIn} of ${webUsers.length - 1} browser sessions still signed in; nothing lost`,
  )
})
