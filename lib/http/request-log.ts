import type http from 'node:http'
import type http2 from 'node:http2'
import { access } from '@/lib/observability/logger'
import { metrics } from '@/lib/observability/metrics'
import { requestContext, requestIdFrom, type RequestContext } from '@/lib/observability/request-id'
import { PROBE_PATHS } from '@/lib/http/probes'

// A sign link's token is a bearer secret of which only the hash is stored
// (docs/merchants.md#the-sign-link): the access line names the route, not the token.
const SIGN_TOKEN = /(\/sign\/)[^/?#]+/gi
export const loggablePath = (pathname: string) => pathname.replace(SIGN_TOKEN, '$1:token')

type Request = http.IncomingMessage | http2.Http2ServerRequest
type Response = http.ServerResponse | http2.Http2ServerResponse

/**
 * Wraps a door's handler: gives the request its id (echoed in x-request-id, found in
 * every log line of the request) and writes the access line that no RPC interceptor
 * wrote. Probes and Next's assets log at debug only.
 */
export function withRequestLog<Req extends Request, Res extends Response>(handle: (req: Req, res: Res, pathname: string) => void) {
  return (req: Req, res: Res) => {
    const started = performance.now()
    const requestId = requestIdFrom(req.headers['x-request-id'])
    req.headers['x-request-id'] = requestId
    res.setHeader('x-request-id', requestId)
    const pathname = (req.url ?? '/').split('?', 1)[0]
    // HTTP/1.0 allows a request without Host; connect-node needs an authority to build
    // the URL and would throw, leaving the request unanswered
    if (!req.headers.host && !req.headers[':authority']) {
      req.headers.host = 'localhost'
      if ('authority' in req) req.headers[':authority'] = 'localhost'
    }
    const store: RequestContext = { requestId }
    res.once('close', () => {
      metrics.httpResponses.inc({ status: String(res.statusCode) })
      if (store.logged) return
      const line = { requestId, method: req.method, path: loggablePath(pathname), httpStatus: res.statusCode, latencyMs: Math.round((performance.now() - started) * 10) / 10 }
      const level = res.statusCode >= 500 ? 'error' : pathname.startsWith('/_next/') || PROBE_PATHS.has(pathname) ? 'debug' : 'info'
      access(level, line, 'http')
    })
    requestContext.run(store, () => handle(req, res, pathname))
  }
}
