import pg from 'pg'
import { config } from '@/lib/config'
import { trySessionLock } from '@/lib/db/statements/try-session-lock'

export type Alone<T> = { ran: true; value: T } | { ran: false }

// names of the tasks running in this process on the embedded database
const runningHere = new Set<string>()

/**
 * Runs `task` unless a task of the same name is already running, on any instance;
 * then it resolves with `{ ran: false }` at once instead of waiting.
 *
 * On PostgreSQL the guard is a session-level advisory lock keyed by the name,
 * taken with pg_try_advisory_lock on a connection of its own and held there for
 * the whole task: the task's statements run on the pool and commit one by one,
 * so a transaction-level lock would have to keep one transaction open around
 * them. If this process dies, its connection closes and the lock goes with it.
 *
 * The embedded database lives in one process (lib/db/pglite-lock.ts) on one
 * connection, where an advisory lock would be granted again to the same holder:
 * there the guard is this process's own record of what is running.
 */
export async function runAlone<T>(name: string, task: () => Promise<T>): Promise<Alone<T>> {
  const { DATABASE_URL, DB_TIMEOUT_MS } = config()
  if (!DATABASE_URL) {
    if (runningHere.has(name)) return { ran: false }
    runningHere.add(name)
    try {
      return { ran: true, value: await task() }
    } finally {
      runningHere.delete(name)
    }
  }
  const client = new pg.Client({ connectionString: DATABASE_URL, connectionTimeoutMillis: DB_TIMEOUT_MS, query_timeout: DB_TIMEOUT_MS })
  // a lost connection loses the lock; the task's own statements report the failure
  client.on('error', () => {})
  await client.connect()
  try {
    const [{ locked }] = await trySessionLock.run(async (sql, params) => (await client.query(sql, [...params])).rows, { name })
    if (!locked) return { ran: false }
    return { ran: true, value: await task() }
  } finally {
    // closing the connection ends its session, which releases the lock
    await client.end().catch(() => {})
  }
}
