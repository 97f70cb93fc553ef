// one database is enough: the HTTP edge decides all of this before any statement runs
import '@/lib/testing/fresh-database'
// The HTTP edge under hostile clients (lib/http/): bodies over the limit are refused
// before they are read, on every path; slow and silent connections are closed on
// time while the server keeps answering others; gRPC can be switched off; /metrics
// without a token is for direct local callers only. It builds nothing: `npm run build` first.
import assert from 'node:assert/strict'
import fs from 'node:fs'
import http from 'node:http'
import http2 from 'node:http2'
import net from 'node:net'
import { after, before, test } from 'node:test'
import { startServer, waitUntil, type ServerProcess } from './support/server-process'

const LIMITS = { HTTP_HEADERS_TIMEOUT_MS: '1000', HTTP_REQUEST_TIMEOUT_MS: '2000', IDLE_TIMEOUT_MS: '1000' }
let server: ServerProcess

before(async () => {
  server = await startServer(LIMITS)
})

after(async () => {
  if (server && !server.exited()) await server.stop('SIGKILL')
})

/** GET on a connection of its own: with a 1-second idle timeout a pooled connection may close just as it is reused. */
function freshGet(path: string, headers: Record<string, string> = {}, base = server.base): Promise<number> {
  return new Promise((resolve, reject) => {
    http.get(`${base}${path}`, { agent: false, headers }, (res) => {
      res.resume()
      resolve(res.statusCode ?? 0)
    }).on('error', reject)
  })
}

const rssBytes = (pid: number) => Number(/VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024
const MiB = 1024 * 1024

/**
 * Sends a POST that declares `declared` bytes (or none: chunked), writing 1 MiB
 * chunks as fast as the server takes them until it answers, closes, or 200 MiB are
 * out. Resolves with the status line's code and the bytes written.
 */
function bigPost(path: string, declared: number | 'chunked'): Promise<{ status: number; written: number }> {
  const { hostname, port } = new URL(server.base)
  const socket = net.connect(Number(port), hostname)
  const chunk = Buffer.alloc(MiB, 'a')
  let written = 0
  let answer = ''
  let done = false
  return new Promise((resolve) => {
    const finish = () => {
      if (done) return
      done = true
      socket.destroy()
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0), written })
    }
    socket.on('data', (data: Buffer) => {
      answer += data.toString('latin1')
      if (answer.includes('\r\n\r\n')) finish()
    })
    socket.on('error', finish)
    socket.on('close', finish)
    socket.on('connect', async () => {
      const framing = declared === 'chunked' ? 'Transfer-Encoding: chunked' : `Content-Length: ${declared}`
      const type = path.startsWith('/api/user.') ? 'application/json' : 'application/x-www-form-urlencoded'
      socket.write(`POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: ${server.base}\r\nContent-Type: ${type}\r\n${framing}\r\n\r\n`)
      while (!done && written < 200 * MiB) {
        const piece = declared === 'chunked' ? Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')]) : chunk
        written += piece.length
        if (!socket.write(piece)) await new Promise((r) => socket.once('drain', r).once('close', r))
        // a turn of the event loop after each MiB, so that an answer is seen as soon as it comes:
        // after a refusal the server drops what else arrives, and a client writing without
        // pause would count that as taken (lib/http/body-limit.ts closeAfterLinger)
        await new Promise((r) => setImmediate(r))
      }
      finish()
    })
  })
}

test('a 200 MB body is refused with 413 before it is read, on pages, under /api/auth and on the API; memory does not grow', async () => {
  const paths = ['/api/auth/callback/credentials', '/login', '/services/open', '/api/user.User/Login']
  // each path once with a small body first, so that what its first use loads is not counted
  for (const path of paths) await bigPost(path, 10)
  const pid = server.child.pid!
  const before = rssBytes(pid)
  for (const path of paths) {
    const { status, written } = await bigPost(path, 200 * MiB)
    assert.equal(status, 413, `${path}: answered ${status}`)
    assert.ok(written < 32 * MiB, `${path}: the server took ${Math.round(written / MiB)} MiB before answering`)
  }
  const growth = rssBytes(pid) - before
  assert.ok(growth < 100 * MiB, `the server's memory grew by ${Math.round(growth / MiB)} MiB`)
  // and it still answers
  assert.equal(await freshGet('/healthz'), 200)
})

test('the gRPC door stops reading a 200 MB message at the limit and answers RESOURCE_EXHAUSTED', async () => {
  const session = http2.connect(`http://127.0.0.1:${server.grpcPort}`)
  const stream = session.request({ ':method': 'POST', ':path': '/user.User/Login', 'content-type': 'application/grpc', te: 'trailers' })
  let status: string | undefined
  let ended = false
  stream.on('response', (headers) => (status ??= headers['grpc-status'] as string | undefined))
  stream.on('trailers', (trailers) => (status ??= trailers['grpc-status'] as string | undefined))
  stream.on('close', () => (ended = true))
  stream.on('error', () => (ended = true))
  stream.resume()
  // a length-prefixed gRPC message that says 200 MB, then its bytes
  const prefix = Buffer.alloc(5)
  prefix.writeUInt32BE(200 * MiB, 1)
  stream.write(prefix)
  const chunk = Buffer.alloc(MiB)
  let written = 0
  while (!ended && written < 200 * MiB) {
    written += chunk.length
    if (!stream.write(chunk)) await new Promise((r) => stream.once('drain', r).once('close', r))
    await new Promise((r) => setImmediate(r))
  }
  await waitUntil(() => ended, 10_000, () => 'the gRPC stream was not closed')
  session.close()
  assert.equal(status, '8', `grpc-status ${status}`)
  assert.ok(written < 32 * MiB, `the gRPC door took ${Math.round(written / MiB)} MiB`)
})

test('a page body of unknown length is refused with 411; the API reads one up to its limit only', async () => {
  for (const path of ['/api/auth/callback/credentials', '/login']) {
    const { status, written } = await bigPost(path, 'chunked')
    assert.equal(status, 411, `${path}: answered ${status}`)
    assert.ok(written < 32 * MiB, `${path}: the server took ${Math.round(written / MiB)} MiB`)
  }
  const api = await bigPost('/api/user.User/Login', 'chunked')
  assert.ok(api.status === 413 || api.status === 429, `the API answered ${api.status}`)
  assert.ok(api.written < 32 * MiB, `the API took ${Math.round(api.written / MiB)} MiB`)
})

test('hundreds of slow and silent connections are closed on time, and the server keeps answering meanwhile', async () => {
  const { hostname, port } = new URL(server.base)
  const open = new Set<net.Socket>()
  const connect = () =>
    new Promise<net.Socket>((resolve, reject) => {
      const socket = net.connect(Number(port), hostname, () => resolve(socket))
      socket.on('error', reject)
      // read whatever comes, so that the server's close is seen
      socket.resume()
      open.add(socket)
      socket.once('close', () => open.delete(socket))
    })
  // 150 that start a request and never finish its headers, 150 that say nothing
  const slow = await Promise.all(Array.from({ length: 150 }, connect))
  for (const socket of slow) socket.write('POST /api/user.User/Login HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ')
  await Promise.all(Array.from({ length: 150 }, connect))
  const sessions = Array.from({ length: 50 }, () => http2.connect(`http://127.0.0.1:${server.grpcPort}`))
  await Promise.all(sessions.map((s) => new Promise((resolve) => s.once('connect', resolve))))
  let sessionsClosed = 0
  for (const session of sessions) session.once('close', () => sessionsClosed++)

  // while they are held: a probe and an API call answer
  assert.equal(await freshGet('/healthz'), 200)
  assert.equal(await freshGet('/login'), 200)

  // the server closes them: headers 1 s, idle 1 s (checked every second)
  await waitUntil(() => open.size === 0, 15_000, () => `${open.size} of 300 connections still open`)
  await waitUntil(() => sessionsClosed === sessions.length, 15_000, () => `${sessions.length - sessionsClosed} of 50 idle HTTP/2 connections still open`)
  assert.equal(await freshGet('/healthz'), 200)
})

test('/metrics without a token: a direct local caller reads it; one forwarded by a local proxy does not', async () => {
  assert.equal(await freshGet('/metrics'), 200)
  for (const header of ['x-forwarded-for', 'forwarded', 'x-real-ip', 'via']) {
    const status = await freshGet('/metrics', { [header]: header === 'forwarded' ? 'for=203.0.113.9' : '203.0.113.9' })
    assert.equal(status, 403, `with ${header}: ${status}`)
  }
})

test('GRPC_PORT=0 switches the gRPC door off', async () => {
  // the embedded database has one owner at a time
  await server.stop('SIGTERM')
  const plain = await startServer({ GRPC_PORT: '0' })
  try {
    assert.equal(plain.listening()?.grpc, 'off')
    assert.equal(await freshGet('/healthz', {}, plain.base), 200)
  } finally {
    await plain.stop('SIGTERM')
  }
})
