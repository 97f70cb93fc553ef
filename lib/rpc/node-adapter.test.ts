// one database is enough: no database; the adapter alone on a local port
import assert from 'node:assert/strict'
import http from 'node:http'
import net from 'node:net'
import { test } from 'node:test'
import { Merchant } from '@/lib/gen/merchant_pb'
import { nodeAdapter } from '@/lib/rpc/node-adapter'

/** Sends `request` as written and resolves with the status line of the answer. */
function raw(port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.end(request))
    let answer = ''
    socket.on('data', (chunk) => (answer += chunk.toString()))
    socket.on('end', () => resolve(answer.split('\r\n', 1)[0]))
    socket.on('error', reject)
  })
}

test('a call whose request names no host (HTTP/1.0) is answered 400, not left waiting', { timeout: 10_000 }, async (t) => {
  const server = http.createServer(nodeAdapter({ routes: (router) => router.service(Merchant, {}) }))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.after(() => new Promise((resolve) => server.close(resolve)))
  const { port } = server.address() as net.AddressInfo
  const body = '{}'
  const call = (host: string) =>
    raw(port, `POST /deduction.Merchant/QuerySignRequest HTTP/1.0\r\n${host}content-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n${body}`)
  t.mock.method(console, 'error', () => {})
  assert.match(await call(''), /^HTTP\/1\.[01] 400 /)
  // the same call with a host reaches the service, which does not implement it
  assert.match(await call('host: localhost\r\n'), /^HTTP\/1\.[01] 501 /)
})

test("a call's signal is aborted once its answer is written, with a reason made once, not a fresh exception", { timeout: 10_000 }, async (t) => {
  const signals: AbortSignal[] = []
  const server = http.createServer(
    nodeAdapter({
      routes: (router) =>
        router.service(Merchant, {
          querySignRequest: (_request, context) => {
            signals.push(context.signal)
            assert.equal(context.signal.aborted, false, 'the signal is aborted before the call has answered')
            return {}
          },
        }),
    }),
  )
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.after(() => new Promise((resolve) => server.close(resolve)))
  const { port } = server.address() as net.AddressInfo
  for (let i = 0; i < 2; i++) {
    const answer = await fetch(`http://127.0.0.1:${port}/deduction.Merchant/QuerySignRequest`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
    assert.equal(answer.status, 200, await answer.text())
  }
  assert.equal(signals.length, 2)
  for (const signal of signals) {
    assert.equal(signal.aborted, true)
    assert.ok(!(signal.reason instanceof DOMException), `aborted with ${String(signal.reason)}`)
  }
  assert.equal(signals[0].reason, signals[1].reason)
})

test('a body over the limit is refused by its declared length, whether or not it is read whole', { timeout: 10_000 }, async (t) => {
  const bodies: string[] = []
  const server = http.createServer(
    nodeAdapter({
      readMaxBytes: 32,
      routes: (router) =>
        router.service(Merchant, {
          querySignRequest: (request) => {
            bodies.push(request.signRequestId)
            return {}
          },
        }),
    }),
  )
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.after(() => new Promise((resolve) => server.close(resolve)))
  const { port } = server.address() as net.AddressInfo
  const call = (signRequestId: string) =>
    fetch(`http://127.0.0.1:${port}/deduction.Merchant/QuerySignRequest`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ signRequestId }) })
  const within = await call('sr_1')
  assert.equal(within.status, 200, await within.text())
  const over = await call('sr_'.padEnd(40, '1'))
  assert.equal(over.status, 429)
  assert.match(((await over.json()) as { message: string }).message, /message size .* is larger than configured readMaxBytes 32/)
  assert.deepEqual(bodies, ['sr_1'])
})
