// one database is enough: it runs on PostgreSQL whatever the suite's database (a private server when the suite has none)
// The production layout of docs/operations.md#several-instances-behind-nginx, run for real: two built instances on one PostgreSQL
// (the test's own database when DATABASE_URL is set, else a private server, so that this
// always runs), Debian's nginx in front with TLS and deploy/nginx.conf, driven only through
// nginx, by Chromium and by the API:
//   - one device at a time across instances: a login that lands on the other instance ends
//     the first token there and here, and an API login ends the browser's session;
//   - login throttling counts the address nginx saw, not one a client wrote in
//     X-Forwarded-For, and the count holds across both instances;
//   - `npm run verify` passes through nginx, trusting the certificate only when told to;
//   - gRPC clients reach both instances through nginx's gRPC port, with TLS;
//   - with one instance stopped, nginx sends every call to the other;
//   - nginx's access log names the sign route, never a sign link's token;
//   - the operations guide shows deploy/nginx.conf as it is, and its envsubst command fills it in.
// Builds nothing: `npm run build` first.
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import fs from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import { after, before, test } from 'node:test'
import tls from 'node:tls'
import { createClient } from '@connectrpc/connect'
import { createGrpcTransport } from '@connectrpc/connect-node'
import type { Browser } from '@playwright/test'
import { queryPostgres } from './support/query-test-database'
import { root, waitUntil } from './support/server-process'
import { TEST_PASSWORD, prepareDatabase, type TestUser } from './support/prepare-database'
import { launchChromium, signInWithForm } from './support/chromium'
import { SITE_FILE, httpsRequest, renderSite, type SiteValues } from './support/nginx'
import { deployBehindNginx, sharedPostgres, type Deployment } from './support/nginx-deployment'
import { LIST, LOGIN } from './support/rpc'
import { User } from '../lib/gen/user_pb'
import { Company } from '../lib/gen/deduction_pb'

// two failures per account, twenty per address
const MAX_FAILURES = 2

let database: { url: string; destroy: () => void } | undefined
let site: Deployment | undefined
let browser: Browser | undefined
// users made for this file; each test takes its own from those still unused, so no two tests share a user
let unused: TestUser[] = []

before(async () => {
  database = await sharedPostgres()
  unused = prepareDatabase({ DATABASE_URL: database.url }, { users: 6 })
  site = await deployBehindNginx({ databaseUrl: database.url, env: { LOGIN_MAX_FAILURES: String(MAX_FAILURES) } })
})

after(async () => {
  await browser?.close()
  await site?.stop()
  database?.destroy()
})

const call = (method: string, body: object, from?: string, headers: Record<string, string> = {}) => site!.call(method, body, { from, headers })

const sql = <T extends Record<string, unknown>>(text: string, values: unknown[] = []) => queryPostgres<T>(database!.url, text, values)

const login = async (user: { email: string; password: string }) => {
  const answer = await call(LOGIN, { loginKey: user.email, loginValue: user.password })
  assert.equal(answer.json.code, '00', `login of ${user.email}: ${JSON.stringify(answer.json)}`)
  return answer
}

/** The list call with `token`, made until both instances have answered it: their codes. */
async function listOnBoth(token: string, userId: string): Promise<Map<number, Set<string>>> {
  const codes = new Map<number, Set<string>>()
  for (let i = 0; i < 10 && codes.size < 2; i++) {
    const answer = await call(LIST, { token, arrangementType: 'Deduction', userId })
    codes.set(answer.instance, (codes.get(answer.instance) ?? new Set()).add(String(answer.json.code)))
  }
  assert.equal(codes.size, 2, 'nginx sent the calls to both instances')
  return codes
}

test('the API over TLS: a login that lands on the other instance ends the first token on both', async () => {
  const [user] = unused.splice(0, 1)
  let first = await login(user)
  let second = await login(user)
  // nginx takes turns; should it not have, log in again until the two logins landed apart
  for (let i = 0; i < 5 && second.instance === first.instance; i++) [first, second] = [second, await login(user)]
  assert.notEqual(second.instance, first.instance, 'two logins landed on different instances')
  assert.match(String(second.headers['strict-transport-security']), /^max-age=\d+/, 'PUBLIC_URL is https://: HSTS is sent')
  assert.deepEqual([...(await listOnBoth(String(first.json.token), user.userId))].map(([, c]) => [...c]), [['03'], ['03']], 'the first token is refused everywhere')
  assert.deepEqual([...(await listOnBoth(String(second.json.token), user.userId))].map(([, c]) => [...c]), [['00'], ['00']], 'the second works everywhere')
})

test('the browser over TLS: its session spans both instances and ends when the API logs the same user in', async () => {
  const [user] = unused.splice(0, 1)
  browser = await launchChromium()
  // the certificate is self-signed: the browser is told to accept it, as the e2e TLS spec does
  const context = await browser.newContext({ baseURL: site!.base, ignoreHTTPSErrors: true, locale: 'zh-CN' })
  const page = await context.newPage()
  await signInWithForm(page, user)
  const cookies = await context.cookies()
  assert.ok(cookies.some((c) => c.name === '__Secure-next-auth.session-token' && c.secure), 'the session cookie is __Secure- and Secure')

  // the one session is good on both instances
  const served = new Set<number>()
  for (let i = 0; i < 10 && served.size < 2; i++) {
    const answer = await page.goto('/services')
    assert.equal(answer?.status(), 200)
    assert.match(page.url(), /\/services$/)
    served.add(await site!.servedBy(answer!.headers()['x-request-id']))
  }
  assert.equal(served.size, 2, 'the browser\u2019s pages came from both instances')

  await login(user)
  // the page, left open, goes by itself to the login page that says why (the live notice) …
  await page.waitForURL(/\/login\?.*reason=elsewhere/)
  await page.getByTestId('signed-elsewhere-notice').waitFor()
  // … and its own navigations, to either instance, are sent there too
  for (let i = 0; i < 2; i++) {
    await page.goto('/services')
    assert.match(page.url(), /\/login\?.*reason=elsewhere/, 'the browser is sent to the login page, which says why')
    await page.getByTestId('signed-elsewhere-notice').waitFor()
  }
  await context.close()
})

test('throttling counts the address nginx saw, whatever the client wrote, across both instances', async () => {
  const answers: { code: string; instance: number }[] = []
  for (let i = 0; i < MAX_FAILURES * 10 + 3; i++) {
    // each attempt names another unknown account and claims another address of its own
    const answer = await call(LOGIN, { loginKey: `nobody${i}@example.com`, loginValue: 'wrong-password' }, '127.0.0.2', { 'x-forwarded-for': `203.0.113.${i + 1}` })
    answers.push({ code: String(answer.json.code), instance: answer.instance })
  }
  const codes = answers.map((a) => a.code)
  assert.deepEqual(codes, [...Array(MAX_FAILURES * 10).fill('01'), '05', '05', '05'], `the client's answers: ${codes.join(' ')}`)
  assert.deepEqual(new Set(answers.slice(0, MAX_FAILURES * 10).map((a) => a.instance)), new Set([0, 1]), 'both instances counted failures')
  assert.deepEqual(new Set(answers.slice(MAX_FAILURES * 10).map((a) => a.instance)), new Set([0, 1]), 'and both refuse the client')

  const other = await call(LOGIN, { loginKey: unused.splice(0, 1)[0].email, loginValue: TEST_PASSWORD }, '127.0.0.3')
  assert.equal(other.json.code, '00', 'another client behind the same nginx is not throttled')

  const rows = await sql<{ ip: string }>("SELECT DISTINCT ip_address AS ip FROM de_login_attempt WHERE ip_address NOT IN ('127.0.0.1', '127.0.0.4') ORDER BY ip_address")
  assert.deepEqual(rows.map((r) => r.ip), ['127.0.0.2', '127.0.0.3'], 'the login records carry the addresses nginx saw, never a claimed one')
})

test('npm run verify passes through nginx, and trusts the self-signed certificate only when told to', () => {
  const [user] = unused.splice(0, 1)
  const withoutExtraCa = { ...process.env }
  delete withoutExtraCa.NODE_EXTRA_CA_CERTS
  const verify = (env: Record<string, string>) => {
    const result = spawnSync('npm', ['run', 'verify', '--', '--url', site!.base, '--email', user.email], {
      cwd: root,
      env: { ...withoutExtraCa, VERIFY_PASSWORD: user.password, ...env },
      encoding: 'utf8',
      timeout: 120_000,
    })
    return { status: result.status, out: `${result.stdout}${result.stderr}` }
  }
  const untrusted = verify({})
  assert.equal(untrusted.status, 1, untrusted.out)
  assert.match(untrusted.out, /does not answer \(self[- ]signed certificate/)
  const trusted = verify({ NODE_EXTRA_CA_CERTS: site!.ca })
  assert.equal(trusted.status, 0, trusted.out)
  assert.match(trusted.out, /verify: every case passed/)
})

test('gRPC through nginx with TLS: both instances answer, and a login on one ends the token on the other', async () => {
  const [user] = unused.splice(0, 1)
  // a client at 127.0.0.4 that claims another address in every call
  const ca = fs.readFileSync(site!.ca)
  const fromClient = (authority: URL) =>
    tls.connect({ socket: net.connect({ host: authority.hostname, port: Number(authority.port), localAddress: '127.0.0.4' }), host: authority.hostname, ca, ALPNProtocols: ['h2'] })
  const transport = createGrpcTransport({ baseUrl: site!.grpcBase, nodeOptions: { createConnection: fromClient } })
  const users = createClient(User, transport)
  const company = createClient(Company, transport)
  const tagged = () => {
    const requestId = randomUUID()
    return { requestId, options: { headers: { 'x-request-id': requestId, 'x-forwarded-for': '203.0.113.200' } } }
  }
  const grpcLogin = async () => {
    const { requestId, options } = tagged()
    const answer = await users.login({ loginKey: user.email, loginValue: user.password }, options)
    assert.equal(answer.code, '00')
    return { answer, instance: await site!.servedBy(requestId) }
  }
  let first = await grpcLogin()
  let second = await grpcLogin()
  for (let i = 0; i < 5 && second.instance === first.instance; i++) [first, second] = [second, await grpcLogin()]
  assert.notEqual(second.instance, first.instance, 'two gRPC logins landed on different instances')
  const codes = new Map<number, string>()
  for (let i = 0; i < 10 && codes.size < 2; i++) {
    const { requestId, options } = tagged()
    const answer = await company.queryDeductionListByUserIdAndArType({ token: first.answer.token, arrangementType: 'Deduction', userId: user.userId }, options)
    codes.set(await site!.servedBy(requestId), answer.code)
  }
  assert.deepEqual([...codes.values()], ['03', '03'], 'the first token is refused by both instances')
  const logins = await sql<{ ip: string }>('SELECT DISTINCT ip_address AS ip FROM de_login_attempt WHERE user_id = $1', [user.userId])
  assert.deepEqual(logins.map((r) => r.ip), ['127.0.0.4'], 'the gRPC logins are recorded with the address nginx saw')
})

test('with one instance stopped, nginx sends every call to the other', async () => {
  const [user] = unused.splice(0, 1)
  const [gone, left] = site!.instances
  assert.equal(await gone.stop('SIGTERM'), 0)
  const { json } = await login(user)
  for (let i = 0; i < 4; i++) {
    const answer = await call(LIST, { token: json.token, arrangementType: 'Deduction', userId: user.userId })
    assert.equal(answer.json.code, '00')
    assert.equal(site!.instances[answer.instance], left)
  }
})

test("nginx's access log names the sign route and the page a request came from without a sign link's token", async () => {
  // a sign link's token is a bearer secret of which only the hash is stored
  // (docs/merchants.md#the-sign-link): neither the path, the query nor the referrer may log it
  const token = `Tk${randomUUID().replaceAll('-', '')}${'x'.repeat(9)}`
  const accessLog = path.join(site!.nginx.dir, 'access.log')
  const requests = [`/sign/${token}`, `/sign/${token}/status`, `/login?callbackUrl=%2Fsign%2F${token}`]
  for (const target of requests) {
    const answer = await httpsRequest(`${site!.base}${target}`, { ca: site!.ca, headers: { referer: `${site!.base}/sign/${token}` } })
    assert.ok(answer.status < 500, `${target} answered ${answer.status}`)
  }
  await waitUntil(() => fs.existsSync(accessLog) && fs.readFileSync(accessLog, 'utf8').split('\n').filter((l) => l.includes('/login')).length > 0, 10_000, () => 'no access line for /login')
  const log = fs.readFileSync(accessLog, 'utf8')
  assert.ok(!log.includes(token), `the access log holds the token:\n${log}`)
  assert.match(log, /GET \/sign\/:token HTTP/)
  assert.match(log, /GET \/sign\/:token\/status HTTP/)
})

test('the operations guide shows deploy/nginx.conf as it is, and its envsubst command fills in every value', () => {
  const readme = fs.readFileSync(path.join(root, 'docs/operations.md'), 'utf8')
  const file = fs.readFileSync(SITE_FILE, 'utf8')
  const shown = [...readme.matchAll(/```nginx\n([\s\S]*?)```/g)].map((m) => m[1])
  assert.deepEqual(shown, [file], 'one nginx block in docs/operations.md, the file as it is')
  const line = readme.split('\n').find((l) => l.startsWith('envsubst '))
  assert.ok(line, 'docs/operations.md fills the file in with envsubst')
  const variables = /^envsubst '([^']+)' < deploy\/nginx\.conf > /.exec(line)?.[1]
  assert.ok(variables, `an envsubst line of the expected shape: ${line}`)
  const values: SiteValues = { FC_LISTEN: '443', FC_SERVER_NAME: 'pay.example.com', FC_TLS_CERT: '/c.pem', FC_TLS_KEY: '/k.pem', FC_APP_1: '127.0.0.1:3000', FC_APP_2: '127.0.0.1:3001', FC_NEW_APP_1: '127.0.0.1:3000', FC_NEW_APP_2: '127.0.0.1:3001', FC_GRPC_LISTEN: '50051', FC_GRPC_1: '127.0.0.1:50061', FC_GRPC_2: '127.0.0.1:50062', FC_NEW_GRPC_1: '127.0.0.1:50061', FC_NEW_GRPC_2: '127.0.0.1:50062', FC_RELEASE_SHARE_FILE: '/etc/nginx/fcdeduction-release-share.conf', FC_ACCESS_LOG: '/var/log/nginx/fcdeduction.access.log' }
  const filled = spawnSync('envsubst', [variables], { input: file, env: { ...process.env, ...values }, encoding: 'utf8' })
  assert.equal(filled.status, 0, filled.stderr)
  assert.equal(filled.stdout, renderSite(file, values), 'envsubst gives what the test runs')
  assert.match(filled.stdout, /\$proxy_add_x_forwarded_for/, 'nginx\u2019s own variables are left alone')
})
