import '@/lib/testing/fresh-database'
// The built server (dist/server.js + a Next production build) end to end:
// both doors, the probes, the protocol errors, request ids, masked logs and a
// graceful stop. It builds nothing: `npm run build` first.
import assert from 'node:assert/strict'
import http2 from 'node:http2'
import { after, before, test } from 'node:test'
import { startServer, waitUntil, type ServerProcess } from './support/server-process'
import { LOGIN, CREATE, call } from './support/rpc'

let server: ServerProcess
let base = ''
let grpcPort = 0
const output = () => server.output()

before(async () => {
  server = await startServer()
  base = server.base
  grpcPort = server.grpcPort
})

after(async () => {
  if (server && !server.exited()) await server.stop('SIGKILL')
})

const rpc = (method: string, body: unknown, headers: Record<string, string> = {}) => call(base, method, body, headers)

test('pages come from Next on the same port, with a request id', async () => {
  const home = await fetch(`${base}/`, { redirect: 'manual', headers: { 'x-request-id': 'page-request-0001' } })
  assert.equal(home.headers.get('x-request-id'), 'page-request-0001')
  assert.ok(home.status === 200 || (home.status >= 300 && home.status < 400), `GET / answered ${home.status}`)
  assert.match(home.headers.get('content-type') ?? 'text/html', /^text\/html/)

  const login = await fetch(`${base}/login`, { redirect: 'manual' })
  assert.equal(login.status, 200)
  assert.match(login.headers.get('content-type') ?? '', /^text\/html/)
  assert.match(login.headers.get('x-request-id') ?? '', /^[A-Za-z0-9._-]{8,128}$/)
  assert.match(await login.text(), /<html/i)
})

test('a request id that does not look like one is replaced', async () => {
  const res = await fetch(`${base}/healthz`, { headers: { 'x-request-id': 'bad id\twith spaces' } })
  const id = res.headers.get('x-request-id') ?? ''
  assert.notEqual(id, 'bad id\twith spaces')
  assert.match(id, /^[0-9a-f-]{36}$/)
})

test('an unknown RPC answers 404 unimplemented in Connect form', async () => {
  const res = await rpc('user.User/NoSuchMethod', {})
  assert.equal(res.http, 404)
  assert.match(res.headers.get('content-type') ?? '', /application\/json/)
  assert.equal(res.json.code, 'unimplemented')
})

test('a wrong content type is 415', async () => {
  const res = await rpc(LOGIN, 'loginKey=a', { 'content-type': 'text/plain' })
  assert.equal(res.http, 415)
})

test('malformed JSON is 400 invalid_argument', async () => {
  const res = await rpc(LOGIN, '{"loginKey": ')
  assert.equal(res.http, 400)
  assert.equal(res.json.code, 'invalid_argument')
})

test('a body over 64 KiB is refused', async () => {
  const res = await rpc(LOGIN, { loginKey: 'x'.repeat(70 * 1024), loginValue: 'y' })
  assert.equal(res.http, 413)
})

test('business failures are HTTP 200 with status, code and desc in the asked language', async () => {
  const noToken = await rpc(CREATE, { arrangementType: 'Deduction', productCode: '00000001', userId: 'U1' })
  assert.equal(noToken.http, 200)
  assert.match(noToken.requestId ?? '', /^[A-Za-z0-9._-]{8,128}$/)
  assert.deepEqual(noToken.json, { status: 'FAILED', code: '03', desc: '用户未登录' })

  const unknown = await rpc(LOGIN, { loginKey: 'nobody@example.com', loginValue: 'Secret-Pa55word!' }, { 'accept-language': 'en-US,en;q=0.9' })
  assert.equal(unknown.http, 200)
  // every field is present (proto3 JSON would drop empty ones)
  assert.deepEqual(unknown.json, {
    status: 'FAILED',
    code: '01',
    desc: 'User does not exist',
    token: '',
    refreshToken: '',
    expireTime: '',
    userId: '',
  })
})

test('log lines are JSON, carry the request id and mask personal data', async () => {
  await rpc(LOGIN, { loginKey: 'carol@example.com', loginValue: 'Secret-Pa55word!' }, { 'x-request-id': 'log-check-000001' })
  const linesOfRequest = () =>
    output()
      .split('\n')
      .slice(0, -1) // the last piece may be a line still being written
      .filter((line) => line.includes('log-check-000001'))
      .map((line) => JSON.parse(line) as Record<string, unknown>)
  // the server's output arrives in chunks: wait for both lines
  await waitUntil(() => linesOfRequest().length >= 2, 5000, () => `fewer than two log lines for the request in:\n${output()}`)
  const lines = linesOfRequest()
  const info = lines.find((line) => line.level === 'info' && line.call === LOGIN)
  assert.ok(info, `no rpc log line for the request in:\n${output()}`)
  assert.equal(info.code, '01')
  assert.equal(info.loginKey, 'c***@example.com')
  assert.equal(typeof info.latencyMs, 'number')
  assert.ok(lines.some((line) => line.level === 'error'), 'a FAILED outcome also writes an error line')
  assert.doesNotMatch(output(), /Secret-Pa55word!/)
  assert.doesNotMatch(output(), /carol@example\.com/)
})

test('readiness checks the database', async () => {
  const res = await fetch(`${base}/readyz`)
  assert.equal(res.status, 200)
  const body = (await res.json()) as Record<string, unknown>
  assert.equal(body.status, 'ready')
  // and says which release answers (tests/metrics.test.ts checks the values)
  assert.deepEqual(Object.keys(body).sort(), ['commit', 'status', 'version'])
})

test('metrics are served to loopback without a token', async () => {
  const res = await fetch(`${base}/metrics`)
  assert.equal(res.status, 200)
  const text = await res.text()
  assert.match(text, /^# HELP /m)
  assert.match(text, /fc_rpc_requests_total\{call="user.User\/Login",code="01"\} \d+/)
  assert.match(text, /fc_rpc_duration_seconds_bucket/)
  assert.match(text, /fc_active_sessions \d+/)
})

test('the gRPC port speaks HTTP/2 and answers an unknown method with a grpc-status', async () => {
  const session = http2.connect(`http://127.0.0.1:${grpcPort}`)
  try {
    const status = await new Promise<string | undefined>((resolve, reject) => {
      const stream = session.request({ ':method': 'POST', ':path': '/user.User/NoSuchMethod', 'content-type': 'application/grpc', te: 'trailers' })
      let fromHeaders: string | undefined
      stream.on('response', (headers) => {
        assert.equal(headers[':status'], 200)
        assert.ok(headers['x-request-id'])
        fromHeaders = headers['grpc-status'] as string | undefined
      })
      stream.on('trailers', (trailers) => resolve((trailers['grpc-status'] as string | undefined) ?? fromHeaders))
      stream.on('end', () => resolve(fromHeaders))
      stream.on('error', reject)
      stream.resume()
      // an empty message: 5-byte gRPC frame header, uncompressed, length 0
      stream.end(Buffer.alloc(5))
    })
    assert.equal(status, '12') // UNIMPLEMENTED
  } finally {
    session.close()
  }
})

test('the gRPC port serves the same calls', async () => {
  const session = http2.connect(`http://127.0.0.1:${grpcPort}`)
  try {
    const { status, body } = await new Promise<{ status?: string; body: Buffer }>((resolve, reject) => {
      const stream = session.request({ ':method': 'POST', ':path': '/deduction.Company/CreateDeductionService', 'content-type': 'application/grpc', te: 'trailers' })
      const chunks: Buffer[] = []
      stream.on('data', (chunk: Buffer) => chunks.push(chunk))
      stream.on('trailers', (trailers) => resolve({ status: trailers['grpc-status'] as string | undefined, body: Buffer.concat(chunks) }))
      stream.on('error', reject)
      stream.end(Buffer.alloc(5)) // an empty DeduceRequest: no token
    })
    assert.equal(status, '0')
    // DeduceResponse{status="FAILED", code="03", ...} in protobuf binary after the 5-byte frame header
    assert.ok(body.subarray(5).includes(Buffer.from('FAILED')))
    assert.ok(body.subarray(5).includes(Buffer.from('03')))
  } finally {
    session.close()
  }
})

test('SIGTERM stops the server gracefully with exit code 0', async () => {
  assert.equal(await server.stop('SIGTERM'), 0, output().slice(-2000))
})
