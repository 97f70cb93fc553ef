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
