// one database is enough: the gRPC door's connection and stream limits act before any statement runs
import '@/lib/testing/fresh-database'
// The gRPC door under clients that stall or crowd it (lib/http/connection-limits.ts,
// lib/rpc/deadline.ts): a call that does not finish is ended with DEADLINE_EXCEEDED at
// the server's bound or the client's shorter grpc-timeout, and counted; a connection
// carries at most GRPC_MAX_CONCURRENT_STREAMS calls; an address holds at most
// GRPC_MAX_CONNECTIONS_PER_ADDRESS connections; an idle connection is closed; a client
// pinging too often is sent away. It builds nothing: `npm run build` first.
import assert from 'node:assert/strict'
import http2 from 'node:http2'
import net from 'node:net'
import { after, before, test } from 'node:test'
import { connectRaw, errorCode, FRAME, lastStreamId, type RawH2 } from './support/raw-h2'
import { startServer, waitUntil, type ServerProcess } from './support/server-process'

const REQUEST_TIMEOUT_MS = 2000
const IDLE_TIMEOUT_MS = 5000
const MAX_STREAMS = 4
const MAX_CONNECTIONS = 3
// how late past its bound the server may end something, on a machine shared with other builds
const SLACK_MS = 2000
const LOGIN = '/user.User/Login'

let server: ServerProcess

before(async () => {
  server = await startServer({
    HTTP_HEADERS_TIMEOUT_MS: '1000',
    HTTP_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
    IDLE_TIMEOUT_MS: String(IDLE_TIMEOUT_MS),
    GRPC_MAX_CONCURRENT_STREAMS: String(MAX_STREAMS),
    GRPC_MAX_CONNECTIONS_PER_ADDRESS: String(MAX_CONNECTIONS),
    // loopback is a trusted proxy by default, and a proxy's connections are not capped per address
    TRUST_PROXY: 'off',
  })
})

after(async () => {
  if (server && !server.exited()) await server.stop('SIGKILL')
})

type Session = { session: http2.ClientHttp2Session; closed: () => boolean; goaway: () => { code: number; data: string } | undefined }

/**
 * An HTTP/2 connection to the gRPC door from a loopback address of the test's own, so
 * that the per-address cap of one test never counts another test's connections.
 */
async function connect(localAddress: string): Promise<Session> {
  const session = http2.connect(`http://127.0.0.1:${server.grpcPort}`, {
    createConnection: () => net.connect({ port: server.grpcPort, host: '127.0.0.1', localAddress }),
  })
  let closed = false
  let goaway: { code: number; data: string } | undefined
  session.on('close', () => (closed = true))
  session.on('error', () => {})
  session.on('goaway', (code, _last, data) => (goaway ??= { code, data: data?.toString() ?? '' }))
  await new Promise((resolve) => {
    session.once('connect', resolve)
    session.once('close', resolve)
  })
  return { session, closed: () => closed, goaway: () => goaway }
}

type Outcome = { status?: string; ms: number; rstCode?: number }

/**
 * Opens a call and sends `body` without ending the request: with a partial message the
 * call can only end by the server's decision. Resolves when the stream closes.
 */
function stalledCall(session: http2.ClientHttp2Session, body: Buffer, headers: Record<string, string> = {}): Promise<Outcome> {
  const started = performance.now()
  const stream = session.request({ ':method': 'POST', ':path': LOGIN, 'content-type': 'application/grpc', te: 'trailers', ...headers })
  let status: string | undefined
  stream.on('response', (h) => (status ??= h['grpc-status'] as string | undefined))
  stream.on('trailers', (t) => (status ??= t['grpc-status'] as string | undefined))
  stream.on('error', () => {})
  stream.resume()
  stream.write(body)
  return new Promise((resolve) => stream.on('close', () => resolve({ status, ms: performance.now() - started, rstCode: stream.rstCode })))
}

/** The call's outcome, or none (`ms: Infinity`) if the stream is still open after the test's bound. */
function within(ms: number, call: Promise<Outcome>): Promise<Outcome> {
  return Promise.race([call, new Promise<Outcome>((resolve) => setTimeout(() => resolve({ ms: Infinity }), ms).unref())])
}

/** Half of a length-prefixed gRPC message: the prefix says 100 bytes, 10 follow. */
function halfMessage(): Buffer {
  const prefix = Buffer.alloc(5)
  prefix.writeUInt32BE(100, 1)
  return Buffer.concat([prefix, Buffer.alloc(10, 1)])
}

/** A call to a method that does not exist: answered at once with grpc-status 12 on a connection that works. */
function unknownMethod(session: http2.ClientHttp2Session): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const stream = session.request({ ':method': 'POST', ':path': '/user.User/NoSuchMethod', 'content-type': 'application/grpc', te: 'trailers' })
    let status: string | undefined
    stream.on('response', (h) => (status ??= h['grpc-status'] as string | undefined))
    stream.on('trailers', (t) => (status ??= t['grpc-status'] as string | undefined))
    stream.on('close', () => resolve(status))
    stream.on('error', reject)
    stream.resume()
    stream.end(Buffer.alloc(5))
  })
}

async function metricsText(): Promise<string> {
  const res = await fetch(`${server.base}/metrics`)
  assert.equal(res.status, 200)
  return res.text()
}

function deadlineCount(text: string): number {
  const line = text.split('\n').find((l) => l.startsWith('fc_grpc_deadline_exceeded_total{') && l.includes('call="user.User/Login"'))
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0
}

test('a call stalled halfway through its message is ended with DEADLINE_EXCEEDED at HTTP_REQUEST_TIMEOUT_MS; the connection stays usable', async () => {
  const { session } = await connect('127.0.0.11')
  try {
    const outcome = await within(REQUEST_TIMEOUT_MS + SLACK_MS, stalledCall(session, halfMessage()))
    assert.equal(outcome.status, '4', `the stalled call was not ended with DEADLINE_EXCEEDED (grpc-status ${outcome.status}) within ${REQUEST_TIMEOUT_MS + SLACK_MS} ms`)
    assert.ok(outcome.ms >= REQUEST_TIMEOUT_MS - 100, `ended after ${Math.round(outcome.ms)} ms, before the bound`)
    // the deadline ends the call, not the connection
    assert.equal(await unknownMethod(session), '12')
  } finally {
    session.close()
  }
})

test("a client's shorter grpc-timeout wins; a longer one does not extend the server's bound", async () => {
  const { session } = await connect('127.0.0.12')
  try {
    const [short, long] = await Promise.all([
      within(REQUEST_TIMEOUT_MS + SLACK_MS, stalledCall(session, halfMessage(), { 'grpc-timeout': '300m' })),
      within(REQUEST_TIMEOUT_MS + SLACK_MS, stalledCall(session, halfMessage(), { 'grpc-timeout': '1H' })),
    ])
    assert.equal(short.status, '4', `grpc-timeout 300m: grpc-status ${short.status}`)
    assert.ok(short.ms >= 250 && short.ms < REQUEST_TIMEOUT_MS - 500, `grpc-timeout 300m: ended after ${Math.round(short.ms)} ms`)
    assert.equal(long.status, '4', `grpc-timeout 1H: grpc-status ${long.status}, after ${Math.round(long.ms)} ms`)
    assert.ok(long.ms >= REQUEST_TIMEOUT_MS - 100, `grpc-timeout 1H: ended after ${Math.round(long.ms)} ms`)
  } finally {
    session.close()
  }
})

test('calls ended by their deadline are counted at /metrics', async () => {
  const before = deadlineCount(await metricsText())
  const { session } = await connect('127.0.0.13')
  try {
    const outcome = await within(SLACK_MS, stalledCall(session, halfMessage(), { 'grpc-timeout': '200m' }))
    assert.equal(outcome.status, '4', `grpc-status ${outcome.status}`)
  } finally {
    session.close()
  }
  const text = await metricsText()
  assert.match(text, /^# HELP fc_grpc_deadline_exceeded_total /m)
  assert.equal(deadlineCount(text), before + 1)
})

/** Opens streams with a call's headers and nothing more, as a client ignoring the server's SETTINGS may. */
function openStreams(raw: RawH2, ids: number[]) {
  for (const id of ids) {
    raw.headers(id, [
      [':method', 'POST'],
      [':scheme', 'http'],
      [':path', LOGIN],
      [':authority', `127.0.0.1:${server.grpcPort}`],
      ['content-type', 'application/grpc'],
      ['te', 'trailers'],
    ])
  }
}

test('streams over GRPC_MAX_CONCURRENT_STREAMS on one connection are refused, and the server keeps answering', async () => {
  const raw = await connectRaw(server.grpcPort, '127.0.0.14')
  try {
    const ids = Array.from({ length: MAX_STREAMS + 2 }, (_, i) => 2 * i + 1)
    openStreams(raw, ids)
    const extra = ids.slice(MAX_STREAMS)
    // RFC 9113 §5.1.2: a stream over the advertised limit is refused with REFUSED_STREAM or
    // PROTOCOL_ERROR; nghttp2 answers a client that had acknowledged the limit with GOAWAY
    // PROTOCOL_ERROR, whose last stream id says the extra streams were never taken
    const refused = (id: number) =>
      raw.frames.some(
        (f) =>
          (f.type === FRAME.RST_STREAM && f.streamId === id && [http2.constants.NGHTTP2_REFUSED_STREAM, http2.constants.NGHTTP2_PROTOCOL_ERROR].includes(errorCode(f))) ||
          (f.type === FRAME.GOAWAY && errorCode(f) !== http2.constants.NGHTTP2_NO_ERROR && lastStreamId(f) < id),
      )
    const seen = () => JSON.stringify(raw.frames.filter((f) => f.type === FRAME.RST_STREAM || f.type === FRAME.GOAWAY).map((f) => [f.type, f.streamId, errorCode(f)]))
    await waitUntil(() => extra.every(refused), SLACK_MS, () => `streams ${extra.join(', ')} over the cap of ${MAX_STREAMS} were not refused; resets and GOAWAYs seen: ${seen()}`)
  } finally {
    raw.destroy()
  }
  const { session } = await connect('127.0.0.14')
  try {
    assert.equal(await unknownMethod(session), '12')
  } finally {
    session.close()
  }
})

test('streams that send their headers and nothing more are each ended by the deadline', async () => {
  const raw = await connectRaw(server.grpcPort, '127.0.0.19')
  try {
    const ids = Array.from({ length: MAX_STREAMS }, (_, i) => 2 * i + 1)
    openStreams(raw, ids)
    const ended = (id: number) => raw.frames.some((f) => f.streamId === id && (f.type === FRAME.RST_STREAM || (f.type === FRAME.HEADERS && f.flags & 0x1)))
    await waitUntil(() => ids.every(ended), REQUEST_TIMEOUT_MS + SLACK_MS, () => `streams ${ids.filter((id) => !ended(id)).join(', ')} were still open`)
    // each got an answer (its trailers carry grpc-status 4), none was refused
    assert.ok(!raw.frames.some((f) => f.type === FRAME.GOAWAY), 'the connection was sent away')
    for (const id of ids) assert.ok(raw.frames.some((f) => f.streamId === id && f.type === FRAME.HEADERS && f.flags & 0x1), `stream ${id} ended without trailers`)
  } finally {
    raw.destroy()
  }
})

test('a connection over GRPC_MAX_CONNECTIONS_PER_ADDRESS is sent away; the others keep working, and a closed one frees its place', async () => {
  const address = '127.0.0.15'
  const held: Session[] = []
  try {
    for (let i = 0; i < MAX_CONNECTIONS; i++) held.push(await connect(address))
    const extra = await connect(address)
    held.push(extra)
    await waitUntil(() => extra.closed(), SLACK_MS, () => `connection ${MAX_CONNECTIONS + 1} from one address is still open`)
    assert.equal(extra.goaway()?.code, http2.constants.NGHTTP2_ENHANCE_YOUR_CALM, `GOAWAY ${JSON.stringify(extra.goaway())}`)
    for (const kept of held.slice(0, MAX_CONNECTIONS)) assert.equal(await unknownMethod(kept.session), '12')
    // another address is counted apart
    const other = await connect('127.0.0.16')
    held.push(other)
    assert.equal(await unknownMethod(other.session), '12')

    held[0].session.close()
    let again: Session | undefined
    await waitUntil(
      async () => {
        again?.session.destroy()
        again = await connect(address)
        held.push(again)
        return !again.closed() && (await unknownMethod(again.session).catch(() => undefined)) === '12'
      },
      SLACK_MS,
      () => 'a connection closed by the client did not free its place',
    )
  } finally {
    for (const { session } of held) session.destroy()
  }
})

test('a connection that carries no call is closed after IDLE_TIMEOUT_MS', async () => {
  const idle = await connect('127.0.0.17')
  const used = await connect('127.0.0.17')
  try {
    assert.equal(await unknownMethod(used.session), '12')
    const started = performance.now()
    await waitUntil(() => idle.closed() && used.closed(), IDLE_TIMEOUT_MS + SLACK_MS, () => `still open after ${IDLE_TIMEOUT_MS + SLACK_MS} ms: idle ${!idle.closed()}, after a call ${!used.closed()}`)
    assert.ok(performance.now() - started >= IDLE_TIMEOUT_MS - 1500, 'closed long before the idle timeout')
  } finally {
    idle.session.destroy()
    used.session.destroy()
  }
})

test('a client pinging more often than GRPC_MIN_PING_INTERVAL_MS is sent away with ENHANCE_YOUR_CALM', async () => {
  const pinger = await connect('127.0.0.18')
  try {
    for (let i = 0; i < 5 && !pinger.session.destroyed; i++) {
      await new Promise<void>((resolve) => {
        if (!pinger.session.ping(() => resolve())) resolve()
      })
    }
    await waitUntil(() => pinger.closed(), SLACK_MS, () => 'the connection was still open after 5 pings in a row')
    assert.equal(pinger.goaway()?.code, http2.constants.NGHTTP2_ENHANCE_YOUR_CALM, `GOAWAY ${JSON.stringify(pinger.goaway())}`)
    assert.equal(pinger.goaway()?.data, 'too_many_pings')
  } finally {
    pinger.session.destroy()
  }
})

test('ended calls and refused connections are logged as warnings, with no handler failure or uncaught error', () => {
  assert.doesNotMatch(server.output(), /handler for rpc .* failed|uncaught exception|ERR_HTTP2/i)
  // each ended call and each connection sent away has a warning line, with its request id
  assert.match(server.output(), /"requestId":"[^"]+","call":"user.User\/Login","msg":"grpc deadline exceeded"/)
  assert.match(server.output(), /"reason":"address_limit","msg":"grpc connection refused"/)
  assert.match(server.output(), /"reason":"too_many_pings","msg":"grpc connection refused"/)
  assert.ok(!server.exited(), 'the server exited')
})
