import type http from 'node:http'
import { prisma } from '@/lib/db'
import { pendingMigrations } from '@/lib/db/pending-migrations'
import { metricsAllowed } from '@/lib/http/metrics-access'
import { sendJson } from '@/lib/http/send-json'
import { logger } from '@/lib/observability/logger'
import { metrics } from '@/lib/observability/metrics'
import type { BuildInfo } from '@/lib/observability/build-info'
import { withTimeout } from '@/lib/with-timeout'
import { rowsOn } from '@/lib/db/on-prisma'
import { databaseAnswers } from '@/lib/db/statements/readiness'

const READY_TIMEOUT_MS = 1000
export const PROBE_PATHS = new Set(['/healthz', '/readyz', '/metrics'])

/**
 * The operator's endpoints: /healthz (the process answers), /readyz (the database
 * answers within a second and has every migration), /metrics (Prometheus text, for
 * the token or a direct local caller).
 */
export type Probes = ReturnType<typeof createProbes>

export function createProbes(options: { projectRoot: string; metricsToken: string | undefined; build: BuildInfo }) {
  // which release answers: during a gray release the two versions stand side by side
  const release = { version: options.build.version, commit: options.build.commit }
  // once the schema has been seen complete it stays so: migrations only add
  let schemaComplete = false

  async function readiness(res: http.ServerResponse) {
    try {
      if (!schemaComplete) {
        const pending = await withTimeout(pendingMigrations(options.projectRoot), READY_TIMEOUT_MS, 'the migrations check')
        if (pending.length) return sendJson(res, 503, { status: 'migrations pending', pending, ...release })
        schemaComplete = true
      }
      await withTimeout(databaseAnswers.run(rowsOn(prisma), {}), READY_TIMEOUT_MS, 'the readiness query')
      sendJson(res, 200, { status: 'ready', ...release })
    } catch (error) {
      metrics.dbErrors.inc({ source: 'readyz' })
      logger.warn({ err: error }, 'readiness: database not reachable')
      sendJson(res, 503, { status: 'unavailable', ...release })
    }
  }

  async function metricsEndpoint(req: http.IncomingMessage, res: http.ServerResponse) {
    if (!metricsAllowed(req, options.metricsToken)) {
      return sendJson(res, options.metricsToken ? 401 : 403, { status: 'forbidden' }, options.metricsToken ? { 'www-authenticate': 'Bearer' } : {})
    }
    const body = await metrics.registry.metrics()
    res.writeHead(200, { 'content-type': metrics.registry.contentType, 'cache-control': 'no-store' })
    res.end(body)
  }

  return {
    /** The start found every migration applied. */
    schemaSeenComplete: () => void (schemaComplete = true),
    answer(req: http.IncomingMessage, res: http.ServerResponse, pathname: string) {
      if (req.method !== 'GET' && req.method !== 'HEAD') return sendJson(res, 405, { status: 'method not allowed' }, { allow: 'GET, HEAD' })
      if (pathname === '/healthz') return sendJson(res, 200, { status: 'ok' })
      if (pathname === '/readyz') return void readiness(res)
      void metricsEndpoint(req, res).catch((error: unknown) => {
        logger.error({ err: error }, 'metrics collection failed')
        if (!res.headersSent) sendJson(res, 500, { status: 'error' })
      })
    },
  }
}
