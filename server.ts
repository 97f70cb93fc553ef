// One Node process, two doors (docs/architecture.md#one-server-two-doors):
//   HTTP/1.1 on PORT:      the API (Connect protocol) under /api/<package>.<Service>/<Method>,
//                          /healthz, /readyz, /metrics — everything else goes to Next.js
//   HTTP/2 (h2c) on GRPC_PORT: the same routes as real gRPC, no path prefix
// The API is answered here rather than by Next's router, which costs more per
// request than the business logic does. This file only wires: the HTTP policy is in
// lib/http, the API's adapters in lib/rpc.
import type http2 from 'node:http2'
import path from 'node:path'
import next from 'next'
import { lowerHashingPriority } from '@/lib/auth/hashing-priority'
import { config, ConfigError, DEV_DATA_ENCRYPTION_KEY, type Config } from '@/lib/config'
import { closeDatabase, shareEmbeddedDatabase } from '@/lib/db'
import { checkMarkAtStart } from '@/lib/db/mark-at-start'
import { openDatabaseAtStart } from '@/lib/db/open-at-start'
import { createGrpcServer, createHttpServer } from '@/lib/http/connection-limits'
import { closeServers, listen, trackSessions } from '@/lib/http/graceful-shutdown'
import { createProbes } from '@/lib/http/probes'
import { withRequestLog } from '@/lib/http/request-log'
import { createHttpRouter } from '@/lib/http/router'
import { createSessionEventsHandler } from '@/lib/http/session-events'
import { createSessionStreams } from '@/lib/http/session-streams'
import { createSignFormHandler } from '@/lib/http/sign-form'
import { readBuildInfo } from '@/lib/observability/build-info'
import { logger } from '@/lib/observability/logger'
import { metrics } from '@/lib/observability/metrics'
import { createRpcAdapters } from '@/lib/rpc/adapters'
import { withDeadline } from '@/lib/rpc/deadline'
import { schedulePruning } from '@/lib/agreements/retention'
import { scheduleSignRequestExpiry } from '@/lib/signing/expire-sign-requests'
import { startDelivery } from '@/lib/webhooks/delivery-loop'
import { sealPlainSigningSecrets } from '@/lib/webhooks/seal-at-start'

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
// on the embedded database, admin commands reach it through this process (lib/db/embedded-socket.ts)
shareEmbeddedDatabase()
const dev = process.env.NODE_ENV !== 'production'
// dist/server.js runs one level below the project root; server.ts (dev) at it
const dir = path.basename(import.meta.dirname) === 'dist' ? path.resolve(import.meta.dirname, '..') : import.meta.dirname
const SHUTDOWN_TIMEOUT_MS = 10_000

const server = createHttpServer(settings)
const app = next({ dev, dir, hostname: 'localhost', port: settings.PORT, httpServer: server })
const build = readBuildInfo(dir, { fromGit: dev })
metrics.buildInfo.set({ version: build.version, commit: build.commit }, 1)
const probes = createProbes({ projectRoot: dir, metricsToken: settings.METRICS_TOKEN, build })
const { api, grpc, grpcProcedures } = createRpcAdapters()
const sessionStreams = createSessionStreams(logger)
const sessionEvents = createSessionEventsHandler(sessionStreams, logger)
server.on('request', withRequestLog(createHttpRouter({ api, next: app.getRequestHandler(), sessionEvents: sessionEvents.handle, signForm: createSignFormHandler(logger), probes, settings, dev })))

const grpcServer = createGrpcServer(settings, (reason) => {
  metrics.grpcConnectionsRefused.inc({ reason })
  logger.warn({ reason }, 'grpc connection refused')
})
const sessions = trackSessions(grpcServer)
const grpcWithDeadline = withDeadline((req, res) => grpc(req, res), {
  maxMs: settings.HTTP_REQUEST_TIMEOUT_MS,
  procedures: grpcProcedures,
  onExpired: (call) => {
    metrics.grpcDeadlines.inc({ call })
    logger.warn({ call }, 'grpc deadline exceeded')
  },
})
grpcServer.on('request', withRequestLog<http2.Http2ServerRequest, http2.Http2ServerResponse>(grpcWithDeadline))

process.on('uncaughtExceptionMonitor', (error, origin) => logger.fatal({ err: error, origin }, 'uncaught exception'))

let closing = false
let stopPruning = () => {}
let stopExpiry = () => {}
let stopDelivery = async () => {}
async function shutdown(signal: NodeJS.Signals) {
  if (closing) return
  closing = true
  logger.info({ signal }, 'shutting down: finishing in-flight requests')
  setTimeout(() => {
    logger.error('shutdown took too long; exiting')
    process.exit(1)
  }, SHUTDOWN_TIMEOUT_MS).unref()
  // open event streams never turn idle by themselves: ending them lets the server close
  const streamsClosed = sessionEvents.close()
  await closeServers(server, grpcServer, sessions)
  await streamsClosed
  stopPruning()
  stopExpiry()
  await stopDelivery()
  await app.close()
  await closeDatabase()
  logger.info('stopped')
  process.exit(0)
}
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => void shutdown(signal))

try {
  await app.prepare()
  const database = await openDatabaseAtStart(dir)
  if (database.state === 'refused') {
    console.error(database.message)
    process.exit(1)
  }
  // demo mode needs a demo database: the database decides, not the shell (lib/db/database-mark.ts)
  let demoMode = false
  if (database.state === 'ready') {
    probes.schemaSeenComplete()
    const marked = await checkMarkAtStart(settings)
    if (marked.state === 'refused') {
      console.error(marked.message)
      process.exit(1)
    }
    demoMode = marked.demoMode
    if (marked.warning) logger.warn(marked.warning)
    await sealPlainSigningSecrets(logger)
  } else logger.warn({ err: database.error }, 'database not reachable at start; /readyz reports it until it is')
  stopPruning = schedulePruning(logger)
  // sign requests past their expiry end, and their merchants hear of it, even if nobody looks (docs/merchants.md#expiry)
  stopExpiry = scheduleSignRequestExpiry(logger)
  // password hashing must not take the CPU the event loop needs (lib/auth/hashing-priority.ts)
  const hashingThreads = await lowerHashingPriority()
  // the merchants' webhooks, from the outbox (docs/merchants.md#notifications); WEBHOOK_DELIVERY=off leaves them to `npm run worker`
  if (settings.WEBHOOK_DELIVERY === 'in-process') stopDelivery = startDelivery(logger.child({ component: 'webhooks' })).stop
  sessionStreams.start()
  if (!dev && settings.dataEncryptionKeys.current.equals(Buffer.from(DEV_DATA_ENCRYPTION_KEY, 'hex'))) logger.warn('the demo runs on the development data encryption key: the webhook signing secrets it seals are not protected (set DATA_ENCRYPTION_KEY)')
  if (!dev && settings.WEBHOOK_ALLOW_PRIVATE) logger.warn('WEBHOOK_ALLOW_PRIVATE is on: webhooks may go to http:// and private addresses (a setting for development and tests)')
  const grpcOn = settings.GRPC_PORT !== 0
  const [httpPort, grpcPort] = await Promise.all([
    listen(server, settings.PORT, settings.HOST),
    grpcOn ? listen(grpcServer, settings.GRPC_PORT, settings.HOST) : undefined,
  ])
  // Next builds its URLs for `localhost` (and dev-mode HMR only trusts it): show that for local binds
  const local = ['0.0.0.0', '::', '127.0.0.1', '::1'].includes(settings.HOST)
  const host = local ? 'localhost' : settings.HOST.includes(':') ? `[${settings.HOST}]` : settings.HOST
  const grpcAddress = grpcOn ? `${host}:${grpcPort}` : 'off'
  logger.info({ mode: dev ? 'development' : 'production', commit: build.commit, node: process.version, http: `http://${host}:${httpPort}`, grpc: grpcAddress, demoMode, hashingThreads }, 'listening')
  if (dev || demoMode) {
    console.log(
      [
        `> fcdeduction ${dev ? 'development' : 'production'} server`,
        `>   web   http://${host}:${httpPort}/`,
        `>   api   http://${host}:${httpPort}/api/<package>.<Service>/<Method>  (Connect JSON, e.g. user.User/Login)`,
        `>   grpc  ${grpcOn ? `${grpcAddress}  (h2c)` : 'off (GRPC_PORT=0)'}`,
        ...(demoMode ? ['>   demo mode: `npm run demo:seed` creates the demo accounts and prints their passwords'] : []),
      ].join('\n'),
    )
  }
} catch (error) {
  logger.fatal({ err: error }, 'failed to start')
  console.error(error instanceof Error ? error.message : error)
  process.exit(1)
}
