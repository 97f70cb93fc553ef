import { testDatabase } from '@/lib/testing/fresh-database'
import { testDatabaseEnv } from './support/test-database-env'
// Property-based fuzzing (fast-check) of the doors besides the JSON API
// (tests/fuzz-api.test.ts): server actions, pages' query strings, the sign-out event
// stream, raw gRPC frames, and the request's edges on every door (path spellings,
// X-Forwarded-For, User-Agent). One invariant: no answer is a 5xx (nor, on gRPC, an
// INTERNAL or UNKNOWN status): hostile input is the client's fault. Malformed action
// envelopes also open nothing. The action ids are read from the build
// (.next/server/server-reference-manifest.json), as the browser finds them in the pages.
// FUZZ_RUNS sets the runs per door (default 150); the seed is printed, and FUZZ_SEED=<n>
// replays a run (tests/support/fuzz-seed.ts). Builds nothing: `npm run build` first.
import assert from 'node:assert/strict'
import fs from 'node:fs'
import http from 'node:http'
import http2 from 'node:http2'
import path from 'node:path'
import { after, before, test } from 'node:test'
import fc from 'fast-check'
import { fuzzParameters } from './support/fuzz-seed'
import { prepareDatabase, type TestUser } from './support/prepare-database'
import { queryTestDatabase } from './support/query-test-database'
import { LOGIN, CREATE, LIST, SESSIONS } from './support/rpc'
import { call, root, startServer, type ServerProcess } from './support/server-process'
import { webLogin } from './support/web-login'

const RUNS = Number(process.env.FUZZ_RUNS ?? 150)
const dbEnv = testDatabaseEnv()

let server: ServerProcess
let cookie = ''
let webUser: TestUser // signed in through the form: the actions and pages act for this user
let apiUser: TestUser // signs in through the API at the end
const tally = { requests: 0, byStatus: new Map<string, number>() }

before(async () => {
  ;[webUser, apiUser] = prepareDatabase(dbEnv, { users: 2 })
  // X-Forwarded-For is read from the local test client, as from a local proxy
  server = await startServer({ ...dbEnv, TRUST_PROXY: 'loopback', LOGIN_MAX_FAILURES: '100000' })
  const login = await webLogin(server.base, webUser)
  assert.ok(login.cookie, `no session cookie (HTTP ${login.status})`)
  cookie = login.cookie
})

after(async () => {
  if (server && !server.exited()) await server.stop('SIGKILL')
})

type Answer = { status: number; text: string }

/** One HTTP/1.1 request, the path sent as written; a stream's answer is cut after its head. */
function send(method: string, target: string, headers: Record<string, string>, body: Buffer = Buffer.alloc(0)): Promise<Answer> {
  const { hostname, port } = new URL(server.base)
  return new Promise((resolve, reject) => {
    const req = http.request({ host: hostname, port, method, path: target, agent: false, headers: { ...headers, 'content-length': String(body.length) }, timeout: 30_000 }, (res) => {
      const status = res.statusCode ?? 0
      if (String(res.headers['content-type']).startsWith('text/event-stream')) {
        res.destroy()
        return resolve({ status, text: '' })
      }
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () => resolve({ status, text: Buffer.concat(chunks).toString('utf8').slice(0, 300) }))
      res.on('error', reject)
    })
    req.on('timeout', () => req.destroy(new Error(`no answer in 30 s: ${method} ${target}`)))
    req.on('error', reject)
    req.end(body)
  })
}

function count(label: string, answer: Answer) {
  tally.requests++
  const key = String(answer.status)
  tally.byStatus.set(key, (tally.byStatus.get(key) ?? 0) + 1)
  assert.ok(answer.status > 0 && answer.status < 500, `${label} answered ${answer.status}: ${answer.text}\n${serverErrors()}`)
}

/** The server's last error lines, for a failure's message. */
const serverErrors = () =>
  server
    .output()
    .split('\n')
    .filter((line) => line.includes('⨯') || line.includes('"level":50'))
    .slice(-3)
    .join('\n')

// on PGlite the database is read only once the server has stopped
const openAgreementCount = async () =>
  (await queryTestDatabase<{ n: number }>(`SELECT count(*)::int AS n FROM de_user_ar_rel WHERE user_id = '${webUser.userId}'`))[0].n

// ---------------------------------------------------------------------------
// Hostile values shared by the doors

const garbage = fc.constantFrom(
  '',
  '%',
  '%%',
  '%zz',
  '%00',
  '%ff%fe',
  '%C0%AF',
  '%252e%252e',
  '..%2f..%2f',
  '\u0000',
  '😀',
  '扣'.repeat(300),
  "' OR '1'='1",
  '<script>alert(1)</script>',
  'javascript:alert(1)',
  '//evil.example',
  '/\\evil.example',
  'https://evil.example/',
  Buffer.from('c1.9223372036854775808.1').toString('base64url'),
  'c1.9223372036854775808.1',
  Buffer.from('f'.repeat(32)).toString('base64url'),
  'x'.repeat(6000),
)
const hostileText = fc.oneof(garbage, fc.string({ unit: 'binary', maxLength: 60 }), fc.string({ unit: 'grapheme', maxLength: 40 }))
/** Percent-encoded for a query string, or left raw with only what node:http refuses to send escaped. */
const queryValue = fc.oneof(
  hostileText.map((s) => encodeURIComponent(s.toWellFormed())),
  // lone surrogates cannot be percent-encoded: they go as the replacement character
  hostileText.map((s) => s.toWellFormed().replace(/[^\u0021-\u007e]|#/gu, (c) => encodeURIComponent(c))),
)

// ---------------------------------------------------------------------------
// Server actions

type Action = { id: string; name: string; page: string }

/** The built app's server actions and a page of each, from the manifest Next writes. */
function actionsOfTheBuild(): Action[] {
  const distDir = process.env.NEXT_DIST_DIR ?? '.next'
  const manifest = JSON.parse(fs.readFileSync(path.join(root, distDir, 'server/server-reference-manifest.json'), 'utf8')) as {
    node: Record<string, { filename: string; exportedName: string; workers: Record<string, unknown> }>
  }
  const pageOf = (worker: string) =>
    worker
      .replace(/^app/, '')
      .replace(/\/page$/, '')
      .replace('[productCode]', '00000001') || '/'
  return Object.entries(manifest.node).map(([id, entry]) => {
    const worker = Object.keys(entry.workers).find((w) => !w.includes('_not-found')) ?? 'app/page'
    return { id, name: `${entry.filename}#${entry.exportedName}`, page: pageOf(worker) }
  })
}

const BOUNDARY = '----fuzzboundary7MA4YWxk'
type Part = { name: string; value: string; file?: boolean }
const multipart = (parts: Part[]) =>
  Buffer.from(
    parts
      .map((p) => `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${p.name}"${p.file ? '; filename="f.bin"\r\nContent-Type: application/octet-stream' : ''}\r\n\r\n${p.value}\r\n`)
      .join('') + `--${BOUNDARY}--\r\n`,
  )
const MULTIPART = `multipart/form-data; boundary=${BOUNDARY}`
// React's encoding of (previous state, form): the form's fields carry the prefix "1_"
const ROOT: Part = { name: '0', value: '["$undefined","$K1"]' }

/** The envelope cases: each must be refused (4xx) or answered with a form error, and open nothing. */
const envelopes: [string, string | undefined, Buffer][] = [
  ['a JSON body', 'application/json', Buffer.from('{"productCode":"00000002"}')],
  ['a text body', 'text/plain;charset=UTF-8', Buffer.from('productCode=00000002')],
  ['a JSON list of the wrong arguments as text', 'text/plain;charset=UTF-8', Buffer.from('[1,2]')],
  ['an empty text body', 'text/plain;charset=UTF-8', Buffer.alloc(0)],
  ['an empty multipart body', MULTIPART, Buffer.alloc(0)],
  ['no content type', undefined, Buffer.from('[]')],
  ['a form with a file where a string is expected', MULTIPART, multipart([{ name: '1_productCode', value: '00000002', file: true }, { name: '1_email', value: 'x', file: true }, ROOT])],
  ['a form with no fields', MULTIPART, multipart([ROOT])],
  ['a form with its fields repeated', MULTIPART, multipart([{ name: '1_productCode', value: '00000002' }, { name: '1_productCode', value: '00000001' }, { name: '1_email', value: 'a' }, { name: '1_email', value: 'b' }, ROOT])],
  ['a form with a huge field', MULTIPART, multipart([{ name: '1_productCode', value: '0'.repeat(60_000) }, { name: '1_email', value: 'e'.repeat(60_000) }, ROOT])],
  ['a form without its list of arguments', MULTIPART, multipart([{ name: '1_productCode', value: '00000002' }])],
  ['a truncated form', MULTIPART, multipart([{ name: '1_productCode', value: '00000002' }, ROOT]).subarray(0, 70)],
  ['a reference to a part that is not there', 'text/plain;charset=UTF-8', Buffer.from('["$@1","$Q2"]')],
]

const actionHeaders = (action: Action, contentType: string | undefined, withCookie: boolean): Record<string, string> => ({
  'next-action': action.id,
  origin: server.base,
  accept: 'text/x-component',
  ...(contentType === undefined ? {} : { 'content-type': contentType }),
  // signing out would end the session the other cases use
  ...(withCookie && !action.name.includes('signOut') ? { cookie } : {}),
})

test('server actions: every action of the build refuses each malformed envelope without a 5xx, and nothing opens', async () => {
  const actions = actionsOfTheBuild()
  assert.ok(actions.length >= 6, `the build has its actions: ${actions.map((a) => a.name).join(', ')}`)
  for (const action of [...actions, { id: 'f'.repeat(42), name: 'an unknown action id', page: '/services/open' }]) {
    for (const [label, contentType, body] of envelopes) {
      count(`${action.name} · ${label}`, await send('POST', action.page, actionHeaders(action, contentType, true), body))
    }
  }
  if (testDatabase.kind === 'postgres') assert.equal(await openAgreementCount(), 0, 'no malformed envelope opened a service')
})

test('server actions: random envelopes for every action, no 5xx', async () => {
  const actions = actionsOfTheBuild()
  const fieldName = fc.oneof(fc.constantFrom('1_productCode', '1_email', '1_password', '1_next', '1_device', '1_term.account', '1_idempotencyKey', '0', '1', '$ACTION_ID_x', '__proto__'), fc.string({ maxLength: 12 }))
  const part = fc.record({ name: fieldName, value: fc.oneof(hostileText, fc.constantFrom('00000002', '["$undefined","$K1"]', '[]', '"$@1"')), file: fc.boolean() })
  const body = fc.oneof(
    fc.array(part, { maxLength: 6 }).map((parts) => ({ type: MULTIPART, bytes: multipart(parts) })),
    fc.array(part, { maxLength: 6 }).map((parts) => ({ type: MULTIPART, bytes: multipart([...parts, ROOT]) })),
    fc.jsonValue({ maxDepth: 3 }).map((v) => ({ type: 'text/plain;charset=UTF-8', bytes: Buffer.from(JSON.stringify(v) ?? '') })),
    fc.string({ unit: 'binary', maxLength: 200 }).map((s) => ({ type: 'text/plain;charset=UTF-8', bytes: Buffer.from(s) })),
    fc.tuple(fc.constantFrom(MULTIPART, 'multipart/form-data', 'text/plain', 'application/json', 'application/octet-stream'), fc.uint8Array({ maxLength: 300 })).map(([type, b]) => ({ type, bytes: Buffer.from(b) })),
  )
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...actions), body, fc.boolean(), async (action, { type, bytes }, withCookie) => {
      count(`${action.name} · ${type} · ${bytes.toString('latin1').slice(0, 120)}`, await send('POST', action.page, actionHeaders(action, type, withCookie), bytes))
    }),
    fuzzParameters('server action envelopes', RUNS),
  )
})

// ---------------------------------------------------------------------------
// Pages' query strings

const PAGES = ['/', '/login', '/services', '/services/open', '/services/00000001', '/services/00000001/close', '/services/99999999', '/devices', '/no-such-page']

test('pages: every page with random and hostile query strings, signed in or not, no 5xx', async () => {
  const key = fc.oneof(fc.constantFrom('page', 'pageToken', 'next', 'lang', 'callbackUrl', 'reason', 'productCode', 'arrangementType', '__proto__'), fc.string({ unit: 'binary-ascii', maxLength: 10 }).map(encodeURIComponent))
  const query = fc.array(fc.tuple(key, queryValue), { minLength: 1, maxLength: 4 }).map((pairs) => pairs.map(([k, v]) => `${k}=${v}`).join('&'))
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...PAGES), query, fc.boolean(), async (page, q, signedIn) => {
      const target = `${page}?${q}`.slice(0, 8000)
      count(`GET ${target.slice(0, 200)}`, await send('GET', target, signedIn ? { cookie } : {}))
    }),
    fuzzParameters('pages’ query strings', RUNS),
  )
  // the families of the review, each on every page
  const known = ['page=' + Buffer.from('c1.9223372036854775808.1').toString('base64url'), 'page=c1.9223372036854775808.1', 'next=//evil.example', 'lang=%ff', 'callbackUrl=javascript:alert(1)', 'page=%', `next=${'a'.repeat(7000)}`]
  for (const page of PAGES) for (const q of known) count(`GET ${page}?${q.slice(0, 80)}`, await send('GET', `${page}?${q}`, { cookie }))
})

// ---------------------------------------------------------------------------
// The sign-out event stream

test('the sign-out stream: forged and mangled session cookies, query strings and methods, no 5xx', async () => {
  const [name, value] = [cookie.slice(0, cookie.indexOf('=')), cookie.slice(cookie.indexOf('=') + 1)]
  const cookieValue = fc.oneof(
    fc.constant(value),
    fc.constant(value.slice(0, -3)),
    fc.constant(value.split('').reverse().join('')),
    fc.constant(value.replace(/[A-Za-z]/, (c) => (c === 'a' ? 'b' : 'a'))),
    fc.string({ unit: 'binary-ascii', maxLength: 200 }).map((s) => s.replace(/[\u0000-\u001f\u007f;]/g, '')),
    fc.base64String({ maxLength: 400 }),
    fc.constantFrom('', '%', 'x'.repeat(4000), 'eyJhbGciOiJub25lIn0.e30.', 'null'),
  )
  const cookieHeader = fc.oneof(
    cookieValue.map((v) => `${name}=${v}`),
    cookieValue.map((v) => `${name}=${v}; ${name}=${value}`),
    cookieValue.map((v) => `other=${v}`),
    fc.constant(undefined),
  )
  await fc.assert(
    fc.asyncProperty(fc.constantFrom('GET', 'GET', 'HEAD', 'POST', 'DELETE'), fc.option(queryValue), cookieHeader, async (method, q, header) => {
      const target = `/api/session/events${q === null ? '' : `?lastEventId=${q}&x=${q}`}`
      count(`${method} ${target.slice(0, 120)} cookie ${String(header).slice(0, 80)}`, await send(method, target, header === undefined ? {} : { cookie: header }))
    }),
    fuzzParameters('the sign-out stream', RUNS),
  )
})

// ---------------------------------------------------------------------------
// gRPC: raw frames

/** One gRPC call over HTTP/2 with the body as given; resolves with the HTTP status and grpc-status. */
async function grpcCall(session: http2.ClientHttp2Session, callPath: string, contentType: string | undefined, body: Buffer): Promise<{ status: number; grpc?: string; message?: string }> {
  return new Promise((resolve, reject) => {
    const stream = session.request({ ':method': 'POST', ':path': callPath, te: 'trailers', ...(contentType === undefined ? {} : { 'content-type': contentType }) })
    let status = 0
    let grpc: string | undefined
    let message: string | undefined
    stream.setTimeout(30_000, () => stream.close(http2.constants.NGHTTP2_CANCEL))
    stream.on('response', (headers) => {
      status = Number(headers[':status'])
      grpc = headers['grpc-status'] as string | undefined
      message = headers['grpc-message'] as string | undefined
    })
    stream.on('trailers', (trailers) => {
      grpc = (trailers['grpc-status'] as string | undefined) ?? grpc
      message = (trailers['grpc-message'] as string | undefined) ?? message
    })
    stream.on('data', () => {})
    stream.on('close', () => (status ? resolve({ status, grpc, message }) : reject(new Error(`no answer to ${callPath} (stream closed, code ${stream.rstCode})`))))
    stream.on('error', () => {})
    stream.end(body)
  })
}

const frame = (flag: number, declared: number, payload: Buffer) => {
  const head = Buffer.alloc(5)
  head.writeUInt8(flag, 0)
  head.writeUInt32BE(declared >>> 0, 1)
  return Buffer.concat([head, payload])
}

test('gRPC: bad length prefixes, truncated messages, wrong content types and unknown methods — no INTERNAL, no 5xx', async () => {
  const session = http2.connect(`http://127.0.0.1:${server.grpcPort}`)
  session.on('error', () => {})
  const methods = ['/user.User/Login', '/user.User/Refresh', '/user.User/Logout', `/${SESSIONS}`, `/${CREATE}`, `/${LIST}`, '/deduction.Merchant/ListAgreementChanges', '/deduction.Merchant/CloseAgreement', '/user.User/NoSuchMethod', '/evil.Service/Login', '/', '/user.User/']
  const payload = fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b))
  const body = fc.oneof(
    // a frame whose prefix says what it carries
    payload.map((p) => frame(0, p.length, p)),
    // a prefix that says more than is sent, or far more than the limit
    fc.tuple(payload, fc.oneof(fc.integer({ min: 1, max: 1000 }), fc.constantFrom(0xffffffff, 0x7fffffff, 65 * 1024 * 1024))).map(([p, extra]) => frame(0, p.length + extra, p)),
    // a prefix that says less
    payload.filter((p) => p.length > 0).map((p) => frame(0, p.length - 1, p)),
    // the compressed flag without a grpc-encoding, or a flag that means nothing
    fc.tuple(fc.integer({ min: 1, max: 255 }), payload).map(([flag, p]) => frame(flag, p.length, p)),
    // a prefix cut short, two frames, or no frame at all
    fc.constantFrom(Buffer.from([0, 0, 0]), Buffer.alloc(0), Buffer.concat([frame(0, 0, Buffer.alloc(0)), frame(0, 0, Buffer.alloc(0))])),
    payload,
  )
  const contentType = fc.constantFrom('application/grpc', 'application/grpc+proto', 'application/grpc+json', 'application/grpc-web', 'application/json', 'text/plain', 'application/grpc; charset=utf-8', undefined)
  try {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...methods), contentType, body, async (callPath, type, bytes) => {
        const answer = await grpcCall(session, callPath, type, bytes)
        tally.requests++
        const label = `gRPC ${callPath} ${type} ${bytes.subarray(0, 40).toString('hex')}`
        assert.ok(answer.status < 500, `${label}: HTTP ${answer.status}`)
        // 13 INTERNAL and 2 UNKNOWN are the server's own failures
        assert.ok(answer.grpc !== '13' && answer.grpc !== '2', `${label}: grpc-status ${answer.grpc} ${answer.message}`)
      }),
      fuzzParameters('gRPC raw frames', RUNS),
    )
  } finally {
    session.close()
  }
})

// ---------------------------------------------------------------------------
// The request's edges, on every door: path spellings, X-Forwarded-For, User-Agent

test('path spellings, odd X-Forwarded-For values and long User-Agents on pages, actions and the API — no 5xx', async () => {
  const segment = fc.constantFrom('api', '..', '.', '%2e%2e', '%2E%2e', '.%2E', '%2f', '%2F', '%5c', '\\', '', 'login', 'services', 'healthz', 'user.User', 'Login', 'session', 'events', '%00', '%zz', ';', 'x'.repeat(200))
  const spelled = fc.array(segment, { minLength: 1, maxLength: 6 }).map((s) => '/' + s.join('/'))
  const forwardedFor = fc.oneof(
    fc.constantFrom('::1', '2001:db8::1', '[2001:db8::1]', '[2001:db8::1]:443', '::ffff:192.0.2.1', 'fe80::1%eth0', '1.2.3.4:5678', '256.1.1.1', '1.2.3', 'unknown', '_hidden', '', ',,,', ' , ', '127.0.0.1, ::1', 'x'.repeat(2000), Array.from({ length: 200 }, (_, i) => `10.0.${i % 256}.1`).join(', ')),
    fc.ipV6(),
    fc.ipV4(),
    fc.string({ unit: 'binary-ascii', maxLength: 60 }).map((s) => s.replace(/[\u0000-\u001f\u007f]/g, '')),
  )
  // a header carries bytes: the UTF-8 of an emoji arrives as four Latin-1 characters
  const userAgent = fc.oneof(fc.constantFrom('', 'Mozilla/5.0', 'x'.repeat(8000), Buffer.from('😀').toString('latin1')), fc.string({ unit: 'binary-ascii', maxLength: 300 }).map((s) => s.replace(/[\u0000-\u001f\u007f]/g, '')))
  const login = actionsOfTheBuild().find((a) => a.name.endsWith('#loginAction'))
  assert.ok(login, 'the build has the login action')
  const door = fc.constantFrom('page', 'spelled', 'api', 'action')
  await fc.assert(
    fc.asyncProperty(door, spelled, forwardedFor, userAgent, async (which, target, xff, ua) => {
      const headers: Record<string, string> = { 'x-forwarded-for': xff, 'user-agent': ua, origin: server.base }
      let answer: Answer
      if (which === 'page') answer = await send('GET', '/services', { ...headers, cookie })
      else if (which === 'spelled') answer = await send('POST', target, { ...headers, 'content-type': 'text/plain' }, Buffer.from('[]'))
      else if (which === 'api') answer = await send('POST', `/api/${LOGIN}`, { ...headers, 'content-type': 'application/json' }, Buffer.from(JSON.stringify({ loginKey: 'nobody@example.com', loginValue: 'wrong-password' })))
      else answer = await send('POST', login.page, { ...headers, 'next-action': login.id, 'content-type': MULTIPART }, multipart([{ name: '1_email', value: 'nobody@example.com' }, { name: '1_password', value: 'wrong-password' }, ROOT]))
      count(`${which} ${which === 'spelled' ? target : ''} xff ${xff.slice(0, 60)} ua ${ua.slice(0, 40)}`, answer)
    }),
    fuzzParameters('path spellings, X-Forwarded-For and User-Agent', RUNS),
  )
})

test('afterwards: the session the fuzz used is still live, nothing was opened, the server stops cleanly', async () => {
  const list = await send('GET', '/services', { cookie })
  assert.equal(list.status, 200, 'the signed-in page still answers')
  const apiLogin = await call(server.base, LOGIN, { loginKey: apiUser.email, loginValue: apiUser.password })
  assert.equal(apiLogin.json.code, '00', 'the API still answers after the fuzz')
  assert.equal(await server.stop('SIGTERM'), 0, server.output().slice(-2000))
  assert.equal(await openAgreementCount(), 0, 'no fuzzed action opened a service')
  const statuses = [...tally.byStatus.entries()].sort().map(([s, n]) => `${s}×${n}`).join(' ')
  console.log(`fuzz doors: ${tally.requests} requests, 0 5xx; HTTP ${statuses}`)
})
