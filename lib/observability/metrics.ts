import client from 'prom-client'
import { countLiveSessions } from '@/lib/auth/sessions'
import { webhookBacklogAgeSeconds } from '@/lib/webhooks/backlog'
import { withTimeout } from '@/lib/with-timeout'

export type Metrics = {
  registry: client.Registry
  buildInfo: client.Gauge<'version' | 'commit'>
  rpcDuration: client.Histogram<'call' | 'code'>
  rpcTotal: client.Counter<'call' | 'code'>
  loginOutcomes: client.Counter<'code'>
  dbErrors: client.Counter<'source'>
  webhookAttempts: client.Counter<'outcome'>
  httpResponses: client.Counter<'status'>
  sessionStreams: client.Gauge
  grpcDeadlines: client.Counter<'call'>
  grpcConnectionsRefused: client.Counter<'reason'>
}

// How long /metrics waits for a count from the database (live sessions, the webhook backlog) before reporting the last one.
const COLLECT_TIMEOUT_MS = 1000

const liveSessionCount = () => withTimeout(countLiveSessions(), COLLECT_TIMEOUT_MS, 'the session count')
const backlogAge = () => withTimeout(webhookBacklogAgeSeconds(), COLLECT_TIMEOUT_MS, 'the webhook backlog')

function createMetrics(): Metrics {
  const registry = new client.Registry()
  client.collectDefaultMetrics({ register: registry })
  const dbErrors = new client.Counter({
    name: 'fc_db_errors_total',
    help: 'Database calls that failed because the database was unavailable or too slow',
    labelNames: ['source'] as const,
    registers: [registry],
  })
  new client.Gauge({
    name: 'fc_active_sessions',
    help: 'Live sessions (browser and API) of this tenant',
    registers: [registry],
    async collect() {
      try {
        this.set(await liveSessionCount())
      } catch {
        // keep the last value: a scrape must not fail because the database does
        dbErrors.inc({ source: 'metrics' })
      }
    },
  })
  new client.Gauge({
    name: 'fc_webhook_backlog_age_seconds',
    help: 'How long the oldest undelivered merchant webhook has waited (0: none waits)',
    registers: [registry],
    async collect() {
      try {
        this.set(await backlogAge())
      } catch {
        // keep the last value, as above
        dbErrors.inc({ source: 'metrics' })
      }
    },
  })
  return {
    registry,
    httpResponses: new client.Counter({
      name: 'fc_http_responses_total',
      help: 'HTTP answers by status code (both doors; gRPC calls answer 200 with their own status)',
      labelNames: ['status'] as const,
      registers: [registry],
    }),
    // 1 for the release this process runs; per-call series join it on `instance` to be split by version (docs/operations.md#versions-in-metrics)
    buildInfo: new client.Gauge({
      name: 'fc_build_info',
      help: 'The release this process runs: 1, labelled with its version (package.json) and the commit it was built from',
      labelNames: ['version', 'commit'] as const,
      registers: [registry],
    }),
    rpcDuration: new client.Histogram({
      name: 'fc_rpc_duration_seconds',
      help: 'RPC latency by call and result code',
      labelNames: ['call', 'code'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    rpcTotal: new client.Counter({
      name: 'fc_rpc_requests_total',
      help: 'RPCs by call and result code',
      labelNames: ['call', 'code'] as const,
      registers: [registry],
    }),
    loginOutcomes: new client.Counter({
      name: 'fc_login_outcomes_total',
      help: 'Logins through every door by result code (00 success, 01/02 refused, 05 throttled, 10 invalid, 99 database unavailable)',
      labelNames: ['code'] as const,
      registers: [registry],
    }),
    dbErrors,
    sessionStreams: new client.Gauge({
      name: 'fc_session_streams_open',
      help: 'Open live sign-out event streams (signed-in pages) of this process',
      registers: [registry],
    }),
    grpcDeadlines: new client.Counter({
      name: 'fc_grpc_deadline_exceeded_total',
      help: 'gRPC calls ended by their deadline (HTTP_REQUEST_TIMEOUT_MS or the client\'s shorter grpc-timeout) with DEADLINE_EXCEEDED',
      labelNames: ['call'] as const,
      registers: [registry],
    }),
    grpcConnectionsRefused: new client.Counter({
      name: 'fc_grpc_connections_refused_total',
      help: 'gRPC connections sent away with GOAWAY ENHANCE_YOUR_CALM: address_limit (too many from one address), too_many_pings',
      labelNames: ['reason'] as const,
      registers: [registry],
    }),
    webhookAttempts: new client.Counter({
      name: 'fc_webhook_attempts_total',
      help: 'Merchant webhook attempts by outcome: delivered, retry (failed, tried again later), failed (given up)',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
  }
}

// One registry per process, also when Next's dev server re-evaluates modules.
const g = globalThis as unknown as { fcMetrics?: Metrics }

export const metrics: Metrics = (g.fcMetrics ??= createMetrics())
