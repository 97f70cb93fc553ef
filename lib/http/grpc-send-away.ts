import http2 from 'node:http2'

/**
 * Ends an abusive client's connection the way gRPC servers do: GOAWAY with
 * ENHANCE_YOUR_CALM and the reason as its debug data (grpc clients log it), then
 * the connection closes, its calls with it.
 */
export function sendAway(session: http2.ServerHttp2Session, reason: string): void {
  if (session.destroyed) return
  session.goaway(http2.constants.NGHTTP2_ENHANCE_YOUR_CALM, 0, Buffer.from(reason))
  session.destroy()
}
