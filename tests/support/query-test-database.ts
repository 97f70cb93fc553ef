// Reads the test file's own database directly (lib/testing/fresh-database.ts).
// For PGlite, only while no server process holds the directory.
import pg from 'pg'
import { testDatabase } from '@/lib/testing/fresh-database'

export async function queryTestDatabase<T extends Record<string, unknown>>(sql: string): Promise<T[]> {
  if (testDatabase.kind === 'postgres') {
    const client = new pg.Client({ connectionString: testDatabase.url })
    await client.connect()
    try {
      return (await client.query<T>(sql)).rows
    } finally {
      await client.end()
    }
  }
  const { openPGlite } = await import('@/lib/db/private-pglite')
  const db = openPGlite(testDatabase.dir)
  try {
    return (await db.query<T>(sql)).rows
  } finally {
    await db.close()
  }
}
