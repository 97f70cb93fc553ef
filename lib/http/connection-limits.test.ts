// one database is enough: uses no database
import assert from 'node:assert/strict'
import http2 from 'node:http2'
import net from 'node:net'
import { test } from 'node:test'
import { parseTrustProxy } from '@/lib/http/client-address'
import { createGrpcServer } from '@/lib/http/connection-limits'

const limits = {
  HTTP_HEADERS_TIMEOUT_MS: 200,
  HTTP_REQUEST_TIMEOUT_MS: 300,
  IDLE_TIMEOUT_MS: 300,
  GRPC_MAX_CONCURRENT_STREAMS: 10,
  GRPC_MAX_CONNECTIONS_PER_ADDRESS: 10,
  GRPC_MIN_PING_INTERVAL_MS: 300_000,
  TRUST_PROXY: parseTrustProxy('off'),
}

test('a client that stops reading an answer loses its connection once idle timeout and deadline have passed', async () => {
  const server = createGrpcServer(limits, () => {})
  const sockets = new Set<net.Socket>()
  server.on('connection', (socket: net.Socket) => {
    sockets.add(socket)
    socket.once('close', () => sockets.delete(socket))
  })
  server.on('stream', (stream) => {
    stream.on('error', () => {})
    stream.respond({ ':status': 200 })
    // more than the socket buffers hold, to a client that reads none of it
    for (let i = 0; i < 32; i++) stream.write(Buffer.alloc(1 << 20))
    setTimeout(() => stream.closed || stream.close(http2.constants.NGHTTP2_CANCEL), limits.HTTP_REQUEST_TIMEOUT_MS)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as net.AddressInfo).port
  let socket: net.Socket | undefined
  const client = http2.connect(`http://127.0.0.1:${port}`, {
    settings: { initialWindowSize: 2 ** 31 - 1 },
    createConnection: () => (socket = net.connect(port, '127.0.0.1')),
  })
  client.on('error', () => {})
  try {
    await new Promise((resolve) => client.once('connect', resolve))
    client.setLocalWindowSize(2 ** 31 - 1)
    client.request({ ':path': '/call' }).on('error', () => {})
    await new Promise((resolve) => server.once('stream', resolve))
    socket!.pause()
    const bound = limits.IDLE_TIMEOUT_MS + limits.HTTP_REQUEST_TIMEOUT_MS + 2000
    const started = performance.now()
    while (sockets.size > 0 && performance.now() - started < bound) await new Promise((resolve) => setTimeout(resolve, 50))
    assert.equal(sockets.size, 0, `the server still held the socket after ${bound} ms`)
  } finally {
    client.destroy()
    server.close()
  }
})
