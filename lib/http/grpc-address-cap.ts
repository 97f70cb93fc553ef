import type http2 from 'node:http2'
import { isTrustedProxy, type TrustProxy } from '@/lib/http/client-address'
import { sendAway } from '@/lib/http/grpc-send-away'

/**
 * At most `max` gRPC connections at once from one peer address; one more is sent away
 * as it opens. A trusted proxy (TRUST_PROXY) is not counted: all of its clients arrive
 * from its address, and nginx opens an upstream connection per gRPC call. A proxy's
 * own limits (nginx `limit_conn`) then bound each client.
 */
export function capConnectionsPerAddress(server: http2.Http2Server, max: number, trust: TrustProxy, onRefused: () => void): void {
  const open = new Map<string, number>()
  server.on('session', (session) => {
    const address = session.socket?.remoteAddress
    if (address === undefined || isTrustedProxy(address, trust)) return
    const count = (open.get(address) ?? 0) + 1
    if (count > max) {
      onRefused()
      sendAway(session, 'too_many_connections')
      return
    }
    open.set(address, count)
    session.once('close', () => {
      const left = (open.get(address) ?? 1) - 1
      if (left > 0) open.set(address, left)
      else open.delete(address)
    })
  })
}
