// The environment that points a server or a command at this test file's own
// database (lib/testing/fresh-database.ts): DATABASE_URL, or PGLITE_DIR with no DATABASE_URL.
import { testDatabase } from '@/lib/testing/fresh-database'

export const testDatabaseEnv = (): Record<string, string | undefined> =>
  testDatabase.kind === 'postgres' ? { DATABASE_URL: testDatabase.url } : { PGLITE_DIR: testDatabase.dir, DATABASE_URL: undefined }
