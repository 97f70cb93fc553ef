import type http2 from 'node:http2'
import { sendAway } from '@/lib/http/grpc-send-away'

// gRPC's servers tolerate two pings too early (grpc-js and grpc-go: max_ping_strikes 2)
const MAX_PING_STRIKES = 2

/**
 * Keepalive pings as gRPC servers allow them: a ping sooner than `minIntervalMs` after
 * the previous one is a strike, and the third strike sends the client away with
 * GOAWAY ENHANCE_YOUR_CALM "too_many_pings", which grpc clients understand as "ping
 * less often". Every ping is answered by nghttp2 itself, so a flood costs the server
 * a write per ping until then.
 */
export function limitPings(session: http2.ServerHttp2Session, minIntervalMs: number, onAbuse: () => void): void {
  let last: number | undefined
  let strikes = 0
  session.on('ping', () => {
    const now = performance.now()
    if (last !== undefined && now - last < minIntervalMs) strikes++
    last = now
    if (strikes > MAX_PING_STRIKES) {
      onAbuse()
      sendAway(session, 'too_many_pings')
    }
  })
}
