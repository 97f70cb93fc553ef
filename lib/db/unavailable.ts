// Errors that mean "the database cannot be reached right now" rather than "this
// request is wrong": they become code 99 / HTTP 503 and are safe to retry.
const PRISMA_UNAVAILABLE = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024', 'P2037'])
// 25006: a write reached a read-only server (a standby, before or after a failover): not done, safe to retry
const PG_UNAVAILABLE = new Set(['57P01', '57P02', '57P03', '08000', '08001', '08003', '08006', '53300', '25006'])
const NODE_UNAVAILABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH'])
const ADAPTER_UNAVAILABLE = new Set([
  'DatabaseNotReachable',
  'DatabaseDoesNotExist',
  'ConnectionClosed',
  'SocketTimeout',
  'TooManyConnections',
  'TransactionAlreadyClosed',
])
const MESSAGE_UNAVAILABLE =
  /Connection terminated|timeout exceeded when trying to connect|Query read timeout|Can't reach database server|connection (?:is )?closed|terminating connection|the database system is (?:starting up|shutting down)|Client has encountered a connection error/i

export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 5) return false
  const e = error as { code?: unknown; message?: unknown; cause?: unknown; meta?: unknown; kind?: unknown; originalCode?: unknown }
  const code = typeof e.code === 'string' ? e.code : undefined
  if (code && (PRISMA_UNAVAILABLE.has(code) || PG_UNAVAILABLE.has(code) || NODE_UNAVAILABLE.has(code))) return true
  if (typeof e.kind === 'string' && ADAPTER_UNAVAILABLE.has(e.kind)) return true
  if (typeof e.originalCode === 'string' && PG_UNAVAILABLE.has(e.originalCode)) return true
  if (typeof e.message === 'string' && MESSAGE_UNAVAILABLE.test(e.message)) return true
  // P2039 and driver adapter errors carry the PostgreSQL code further down
  const meta = e.meta as { driverAdapterError?: unknown } | undefined
  return isDatabaseUnavailable(meta?.driverAdapterError, depth + 1) || isDatabaseUnavailable(e.cause, depth + 1)
}
