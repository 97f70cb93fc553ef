import type http from 'node:http'
import type { Config } from '@/lib/config'
import { admitActionRequest } from '@/lib/http/action-request'
import { SESSION_EVENTS_PATH } from '@/lib/auth/session-events-path'
import { closeAfterLinger, refuseBody } from '@/lib/http/body-limit'
import { clientAddress } from '@/lib/http/client-address'
import { DEMO_SHOP_RECEIVER_PATH } from '@/lib/demo-shop/demo-shop-address'
import { PROBE_PATHS, type Probes } from '@/lib/http/probes'
import { requestPath } from '@/lib/http/request-path'
import { isSameOrigin } from '@/lib/http/same-origin'
import { protect } from '@/lib/http/security-headers'
import { sendJson } from '@/lib/http/send-json'
import { signFormTarget, type SignVerb } from '@/lib/signing/sign-form-path'

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => unknown
type SignFormHandler = (req: http.IncomingMessage, res: http.ServerResponse, token: string, verb: SignVerb) => unknown

// An RPC-shaped path: answered by the API (or its 404), never by Next's HTML 404.
const RPC_PATH = /^\/api\/[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+\/[A-Za-z_]\w*$/

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value)

/**
 * A state-changing request to a page (a server action) from anywhere but our pages is
 * refused here, before Next. Only API calls, which use no cookies, are exempt, and they
 * never come this far: every other POST is checked, under /api/ too.
 */
function crossOrigin(req: http.IncomingMessage): boolean {
  if (req.method === 'GET' || req.method === 'HEAD') return false
  return !isSameOrigin({ origin: first(req.headers.origin), secFetchSite: first(req.headers['sec-fetch-site']), host: first(req.headers['x-forwarded-host']) ?? req.headers.host })
}

/**
 * The HTTP/1.1 port: every answer gets the browser protections; a path that is not
 * canonical is refused before any decision (lib/http/request-path.ts); probes answer
 * themselves; a body over the limit is refused unread; RPC paths go to the API,
 * the session event stream to its handler (lib/http/session-events.ts); the rest,
 * once same-origin and with the client address this server vouches for, to the sign
 * page's forms (lib/http/sign-form.ts) or Next.
 */
export function createHttpRouter(deps: { api: Handler; next: Handler; sessionEvents: Handler; signForm: SignFormHandler; probes: Probes; settings: Pick<Config, 'publicUrl' | 'TRUST_PROXY'>; dev: boolean }) {
  const https = deps.settings.publicUrl.startsWith('https://')
  return (req: http.IncomingMessage, res: http.ServerResponse, target: string) => {
    const decided = requestPath(target)
    if ('refused' in decided) {
      protect(req, res, { page: false, https, dev: deps.dev })
      res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' })
      return void res.end(`path refused: ${decided.refused}`)
    }
    const pathname = decided.path
    const rpc = RPC_PATH.test(pathname)
    const probe = PROBE_PATHS.has(pathname)
    protect(req, res, { page: !probe && !rpc, https, dev: deps.dev })
    if (probe) return deps.probes.answer(req, res, pathname)
    // the API's reader stops at the limit whatever the framing; Next would read a body whole
    const refused = refuseBody(req, !rpc)
    if (refused) {
      // the rest of the body is never read: the connection closes after the answer
      closeAfterLinger(req, res)
      return sendJson(res, refused.status, { code: refused.status === 413 ? 'resource_exhausted' : 'invalid_argument', message: refused.message })
    }
    if (rpc) return void deps.api(req, res)
    // the open pages' sign-out stream: long-lived, so answered here, where shutdown can end it
    if (pathname === SESSION_EVENTS_PATH) return void deps.sessionEvents(req, res)
    // the demo shop's webhook receiver is called server to server, with no Origin: it reads no
    // cookie, answers 404 off a demo database, and keeps only what its signature verifies
    if (pathname !== DEMO_SHOP_RECEIVER_PATH && crossOrigin(req)) {
      res.writeHead(403, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' })
      return void res.end('cross-origin request refused')
    }
    // Next would take a client's own X-Forwarded-For (or X-Real-IP) as the address that
    // is throttled and recorded: it gets the one this server vouches for instead
    const address = clientAddress(req.socket.remoteAddress, req.headers['x-forwarded-for'], deps.settings.TRUST_PROXY)
    if (address) req.headers['x-forwarded-for'] = address
    else delete req.headers['x-forwarded-for']
    delete req.headers['x-real-ip']
    const signForm = signFormTarget(pathname)
    if (signForm) return void deps.signForm(req, res, signForm.token, signForm.verb)
    // a server action call's body is checked before Next decodes it (lib/http/action-request.ts)
    if (req.method === 'POST' && req.headers['next-action'] !== undefined) {
      return void admitActionRequest(req, res).then((admitted) => admitted && deps.next(req, res))
    }
    void deps.next(req, res)
  }
}
