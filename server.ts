// One Node process, two doors (SPEC §4, RECIPES "One server, two doors"):
//   HTTP/1.1 on PORT:      the API (Connect protocol) under /api/<package>.<Service>/<Method>,
//                          /healthz, /readyz, /metrics — everything else goes to Next.js
//   HTTP/2 (h2c) on GRPC_PORT: the same routes as real gRPC, no path prefix
// The API is answered here rather than by Next's router, which costs more per
// request than the business logic does.
import http from 'node:http'
import http2 from 'node:http2'
import path from 'node:path'
import { connectNodeAdapter, type ConnectNodeAdapterOptions } from '@connectrpc/connect-node'
import next from 'next'
import { config, ConfigError, type Config } from '@/lib/config'
import { closeDatabase } from '@/lib/db'
import { logger } from '@/lib/observability/logger'
import { requestContext, requestIdFrom, type RequestContext } from '@/lib/observability/request-id'
import { withCallerFaults } from '@/lib/rpc/caller-faults'
import { observe } from '@/lib/rpc/interceptors'
import { routes, rpcContextValues } from '@/lib/rpc/routes'
import { schedulePruning } from '@/lib/services/retention'
import { pendingMigrations } from '@/lib/db/pending-migrations'
import { BODY_MAX_BYTES, closeAfterLinger, refuseBody } from '@/lib/http/body-limit'
import { createGrpcServer, createHttpServer } from '@/lib/http/connection-limits'
import { createProbes, PROBE_PATHS } from '@/lib/http/probes'
import { protect } from '@/lib/http/security-headers'
import { isSameOrigin } from '@/lib/http/same-origin'
import { sendJson, unimplemented } from '@/lib/http/send-json'
import { clientAddress } from '@/lib/http/client-address'

type NodeHandler = NonNullable<ConnectNodeAdapterOptions['fallback']>

function loadConfig(): Config {
  try {
    return config()
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error
    console.error(error.message)
    process.exit(1)
  }
}

const settings = loadConfig()
const dev = process.env.NODE_ENV !== 'production'
const port = settings.PORT
// dist/server.js runs one level below the project root; server.ts (dev) at it
const dir = path.basename(import.meta.dirname) === 'dist' ? path.resolve(import.meta.dirname, '..') : import.meta.dirname


const SHUTDOWN_TIMEOUT_MS = 10_000
// An RPC-shaped path: answered by the API (or its 404), never by Next's HTML 404.
const RPC_PATH = /^\/api\/[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+\/[A-Za-z_]\w*$/

const server = createHttpServer(settings)
const app = next({ dev, dir, hostname: 'localhost', port, httpServer: server })
const nextHandler = app.getRequestHandler()
const probes = createProbes({ projectRoot: dir, metricsToken: settings.METRICS_TOKEN })

const connectOptions = {
  routes: withCallerFaults(routes),
  interceptors: [observe],
  contextValues: rpcContextValues,
  readMaxBytes: BODY_MAX_BYTES,
  writeMaxBytes: 4 << 20,
  // proto3 JSON drops "", 0 and [] unless told otherwise; the seeds' clients expect every field
  jsonOptions: { alwaysEmitImplicit: true },
} satisfies Partial<ConnectNodeAdapterOptions>

const api = connectNodeAdapter({
  ...connectOptions,
  requestPathPrefix: '/api',
  fallback: ((req: http.IncomingMessage, res: http.ServerResponse) => unimplemented(res, (req.url ?? '').split('?', 1)[0].slice('/api/'.length))) as NodeHandler,
})

const grpcFallback = ((req: http2.Http2ServerRequest, res: http2.Http2ServerResponse) => {
  const contentType = req.headers['content-type'] ?? ''
  const procedure = (req.url ?? '').split('?', 1)[0].slice(1)
  if (!contentType.startsWith('application/grpc')) return unimplemented(res, procedure)
  // gRPC reports the outcome in trailers, over HTTP 200
  res.writeHead(200, { 'content-type': contentType })
  // grpc-message is percent-encoded, but only outside printable ASCII (and '%' itself)
  const message = `${procedure} is not implemented`.replace(/[^\x20-\x24\x26-\x7e]/gu, encodeURIComponent)
  res.addTrailers({ 'grpc-status': '12', 'grpc-message': message })
  res.end()
}) as NodeHandler

const grpc = connectNodeAdapter({ ...connectOptions, fallback: grpcFallback })

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value)

/**
 * A state-changing request to a page (a server action) from anywhere but our pages is
 * refused here, before Next. The API uses no cookies, so /api/ is not checked.
 */
function crossOrigin(req: http.IncomingMessage, pathname: string): boolean {
  if (req.method === 'GET' || req.method === 'HEAD' || pathname.startsWith('/api/')) return false
  return !isSameOrigin({ origin: first(req.headers.origin), secFetchSite: first(req.headers['sec-fetch-site']), host: first(req.headers['x-forwarded-host']) ?? req.headers.host })
}

function route(req: http.IncomingMessage, res: http.ServerResponse, pathname: string) {
  const rpc = RPC_PATH.test(pathname)
  const probe = PROBE_PATHS.has(pathname)
  protect(req, res, { page: !probe && !rpc, https: settings.publicUrl.startsWith('https://'), dev })
  if (probe) return probes.answer(req, res, pathname)
  // the API's reader stops at the limit whatever the framing; Next would read a body whole
  const refused = refuseBody(req, !rpc)
  if (refused) {
    // the rest of the body is never read: the connection closes after the answer
    closeAfterLinger(req, res)
    return sendJson(res, refused.status, { code: refused.status === 413 ? 'resource_exhausted' : 'invalid_argument', message: refused.message })
  }
  if (rpc) return api(req, res)
  if (crossOrigin(req, pathname)) {
    res.writeHead(403, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' })
    return void res.end('cross-origin request refused')
  }
  // Next would take a client's own X-Forwarded-For (or X-Real-IP) as the address that
  // is throttled and recorded: it gets the one this server vouches for instead
  const address = clientAddress(req.socket.remoteAddress, req.headers['x-forwarded-for'], settings.TRUST_PROXY)
  if (address) req.headers['x-forwarded-for'] = address
  else delete req.headers['x-forwarded-for']
  delete req.headers['x-real-ip']
  void nextHandler(req, res)
}

/** Gives the request its id (echoed in x-request-id, found in every log line) and logs what no interceptor did. */
function serve<Req extends http.IncomingMessage | http2.Http2ServerRequest, Res extends http.ServerResponse | http2.Http2ServerResponse>(
  handle: (req: Req, res: Res, pathname: string) => void,
) {
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
      if (store.logged) return
      const line = { requestId, method: req.method, path: pathname, httpStatus: res.statusCode, latencyMs: Math.round((performance.now() - started) * 10) / 10 }
      if (res.statusCode >= 500) logger.error(line, 'http')
      else if (pathname.startsWith('/_next/') || pathname === '/healthz' || pathname === '/readyz' || pathname === '/metrics') logger.debug(line, 'http')
      else logger.info(line, 'http')
    })
    requestContext.run(store, () => handle(req, res, pathname))
  }
}

server.on('request', serve(route))

const grpcServer = createGrpcServer(settings)
const sessions = new Set<http2.ServerHttp2Session>()
grpcServer.on('session', (session) => {
  sessions.add(session)
  session.once('close', () => sessions.delete(session))
})
grpcServer.on('request', serve<http2.Http2ServerRequest, http2.Http2ServerResponse>((req, res) => grpc(req, res)))

function listen(target: http.Server | http2.Http2Server, listenPort: number): Promise<number> {
  return new Promise((resolve, reject) => {
    target.once('error', reject)
    target.listen(listenPort, settings.HOST, () => {
      target.off('error', reject)
      const address = target.address()
      resolve(typeof address === 'object' && address ? address.port : listenPort)
    })
  })
}

/** Opens the database once now: a locked embedded database, or one missing migrations, must stop the start, not the first request. */
async function openDatabase() {
  let pending: string[]
  try {
    pending = await pendingMigrations(dir)
  } catch (error) {
    for (let e: unknown = error; e instanceof Error; e = e.cause) {
      if (e.name === 'EmbeddedDatabaseInUseError') {
        console.error(e.message)
        process.exit(1)
      }
    }
    logger.warn({ err: error }, 'database not reachable at start; /readyz reports it until it is')
    return
  }
  if (pending.length) {
    console.error(`The database has ${pending.length} pending migration(s) (${pending.join(', ')}): run \`npm run db:migrate\` first.`)
    process.exit(1)
  }
  probes.schemaSeenComplete()
}

process.on('uncaughtExceptionMonitor', (error, origin) => logger.fatal({ err: error, origin }, 'uncaught exception'))

let closing = false
let stopPruning = () => {}
async function shutdown(signal: NodeJS.Signals) {
  if (closing) return
  closing = true
  logger.info({ signal }, 'shutting down: finishing in-flight requests')
  setTimeout(() => {
    logger.error('shutdown took too long; exiting')
    process.exit(1)
  }, SHUTDOWN_TIMEOUT_MS).unref()
  const httpClosed = new Promise((resolve) => server.close(resolve))
  const grpcClosed = new Promise((resolve) => grpcServer.close(resolve))
  // keep-alive connections turn idle as their responses finish; close them as they do
  server.closeIdleConnections()
  const idle = setInterval(() => server.closeIdleConnections(), 50)
  for (const session of sessions) session.close()
  await Promise.all([httpClosed, grpcClosed])
  clearInterval(idle)
  stopPruning()
  await app.close()
  await closeDatabase()
  logger.info('stopped')
  process.exit(0)
}
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => void shutdown(signal))

try {
  await app.prepare()
  await openDatabase()
  stopPruning = schedulePruning(logger)
  const grpcOn = settings.GRPC_PORT !== 0
  const [httpPort, grpcPort] = await Promise.all([listen(server, port), grpcOn ? listen(grpcServer, settings.GRPC_PORT) : undefined])
  // Next builds its URLs for `localhost` (and dev-mode HMR only trusts it): show that for local binds
  const local = ['0.0.0.0', '::', '127.0.0.1', '::1'].includes(settings.HOST)
  const host = local ? 'localhost' : settings.HOST.includes(':') ? `[${settings.HOST}]` : settings.HOST
  logger.info({ mode: dev ? 'development' : 'production', node: process.version, http: `http://${host}:${httpPort}`, grpc: grpcOn ? `${host}:${grpcPort}` : 'off', demoMode: settings.demoMode }, 'listening')
  if (dev || settings.demoMode) {
    console.log(
      [
        `> fcdeduction ${dev ? 'development' : 'production'} server`,
        `>   web   http://${host}:${httpPort}/`,
        `>   api   http://${host}:${httpPort}/api/<package>.<Service>/<Method>  (Connect JSON, e.g. user.User/Login)`,
        `>   grpc  ${grpcOn ? `${host}:${grpcPort}  (h2c)` : 'off (GRPC_PORT=0)'}`,
        ...(settings.demoMode ? ['>   demo mode: `npm run demo:seed` creates the demo accounts and prints their passwords'] : []),
      ].join('\n'),
    )
  }
} catch (error) {
  logger.fatal({ err: error }, 'failed to start')
  console.error(error instanceof Error ? error.message : error)
  process.exit(1)
}
