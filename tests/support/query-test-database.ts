// Reads the test file's own database directly (lib/testing/fresh-database.ts).
// For PGlite, only while no server process holds the directory.
import pg from 'pg'
import { testDatabase } from '@/lib/testing/fresh-database'

// One connection for the file, kept between queries: the fuzz tests read the counts after
// every request, and a connection each time is a PostgreSQL backend started and ended each
// time. It does not keep the file's process alive once the tests are done.
let pool: pg.Pool | undefined

export async function queryTestDatabase<T extends Record<string, unknown>>(sql: string): Promise<T[]> {
  if (testDatabase.kind === 'postgres') {
    if (!pool) {
      pool = new pg.Pool({ connectionString: testDatabase.url, max: 1, allowExitOnIdle: true })
      // an idle connection that loses its server must not end the file's process: the next query reports it
      pool.on('error', () => {})
    }
    return (await pool.query<T>(sql)).rows
  }
  const { openPGlite } = await import('@/lib/db/private-pglite')
  const db = openPGlite(testDatabase.dir)
  try {
    return (await db.query<T>(sql)).rows
  } finally {
    await db.close()
  }
}
