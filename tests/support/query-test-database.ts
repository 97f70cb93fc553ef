// Direct SQL for the tests: the test file's own database (lib/testing/fresh-database.ts), or
// a PostgreSQL the test started itself. For PGlite, only while no server process holds the
// directory.
import pg from 'pg'
import { testDatabase } from '@/lib/testing/fresh-database'

type Row = Record<string, unknown>

// One connection for the file, kept between queries: the fuzz tests read the counts after
// every request, and a connection each time is a PostgreSQL backend started and ended each
// time. It does not keep the file's process alive once the tests are done.
let pool: pg.Pool | undefined

/**
 * One statement with its values, or several without (PostgreSQL's simple protocol takes no
 * parameters); the last statement's rows.
 */
export async function queryTestDatabase<T extends Row>(sql: string, values?: unknown[]): Promise<T[]> {
  if (testDatabase.kind === 'postgres') {
    if (!pool) {
      pool = new pg.Pool({ connectionString: testDatabase.url, max: 1, allowExitOnIdle: true })
      // an idle connection that loses its server must not end the file's process: the next query reports it
      pool.on('error', () => {})
    }
    return lastRows<T>(await pool.query(sql, values))
  }
  const { openPGlite } = await import('@/lib/db/private-pglite')
  const db = openPGlite(testDatabase.dir)
  try {
    if (values) return (await db.query<T>(sql, values)).rows
    const results = await db.exec(sql)
    return (results.at(-1)?.rows ?? []) as T[]
  } finally {
    await db.close()
  }
}

/** One statement on a PostgreSQL by its address, over a connection of its own. */
export async function queryPostgres<T extends Row>(url: string, sql: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return lastRows<T>(await client.query(sql, values))
  } finally {
    await client.end()
  }
}

// node-postgres answers several statements with one result each
function lastRows<T extends Row>(result: pg.QueryResult | pg.QueryResult[]): T[] {
  return (Array.isArray(result) ? result.at(-1)?.rows ?? [] : result.rows) as T[]
}
