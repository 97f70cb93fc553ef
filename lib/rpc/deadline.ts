import http2 from 'node:http2'

type GrpcHandler = (req: http2.Http2ServerRequest, res: http2.Http2ServerResponse) => void

const MS_PER_UNIT = { H: 3_600_000, M: 60_000, S: 1000, m: 1, u: 1e-3, n: 1e-6 } as const

/**
 * The client's grpc-timeout in milliseconds: at most 8 digits and a unit (gRPC over
 * HTTP/2, "Timeout"); undefined when absent or malformed, which leaves the server's bound.
 */
export function parseGrpcTimeout(value: string | string[] | undefined): number | undefined {
  const match = /^(\d{1,8})([HMSmun])$/.exec(typeof value === 'string' ? value : '')
  return match ? Number(match[1]) * MS_PER_UNIT[match[2] as keyof typeof MS_PER_UNIT] : undefined
}

export type DeadlineOptions = {
  /** no call lasts longer than this, whatever its grpc-timeout (HTTP_REQUEST_TIMEOUT_MS) */
  maxMs: number
  /** the door's methods, as /package.Service/Method: a metric label only ever takes one of these */
  procedures: ReadonlySet<string>
  /** told of each call the deadline ended, with its method or "unknown" */
  onExpired: (call: string) => void
}

/**
 * Gives every call on the gRPC door a deadline: the server's bound, or the client's
 * grpc-timeout when shorter. connect-es aborts its handler's signal at the client's
 * deadline but still waits for a request body that never comes, so the call is ended
 * here, at the door, whatever state it is in: one that has answered nothing yet gets
 * DEADLINE_EXCEEDED (grpc-status 4) and its stream is closed; one whose answer is under
 * way (a client not reading it) is reset with CANCEL, as gRPC servers do.
 */
export function withDeadline(handle: GrpcHandler, options: DeadlineOptions): GrpcHandler {
  return (req, res) => {
    const ms = Math.min(options.maxMs, parseGrpcTimeout(req.headers['grpc-timeout']) ?? Infinity)
    const timer = setTimeout(() => endByDeadline(req, res, options), ms)
    res.once('close', () => clearTimeout(timer))
    handle(req, res)
  }
}

function endByDeadline(req: http2.Http2ServerRequest, res: http2.Http2ServerResponse, options: DeadlineOptions) {
  const stream = res.stream
  if (stream.closed || stream.destroyed) return
  if (res.writableFinished) {
    // answered in full; only the client's end of the request is missing
    stream.close(http2.constants.NGHTTP2_NO_ERROR)
    return
  }
  const procedure = (req.url ?? '').split('?', 1)[0]
  options.onExpired(options.procedures.has(procedure) ? procedure.slice(1) : 'unknown')
  if (res.headersSent) {
    stream.close(http2.constants.NGHTTP2_CANCEL)
    return
  }
  // once the trailers are out, a reset with NO_ERROR tells a client still sending to stop
  // (connect-node closes its own answers the same way)
  stream.once('wantTrailers', () => setImmediate(() => stream.closed || stream.close(http2.constants.NGHTTP2_NO_ERROR)))
  const contentType = req.headers['content-type'] ?? ''
  res.writeHead(200, { 'content-type': /^application\/grpc(\+[a-z]+)?$/.test(contentType) ? contentType : 'application/grpc' })
  res.addTrailers({ 'grpc-status': '4', 'grpc-message': 'deadline exceeded' })
  res.end()
}
