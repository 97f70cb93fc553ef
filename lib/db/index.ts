import { createDatabase, type Database } from '@/lib/db/client'

// One client per process, kept on globalThis so that Next's dev-mode module
// reloading and the custom server share it instead of opening more pools (or,
// for the embedded database, a second handle on the same files).
const g = globalThis as unknown as { fcDatabase?: Database; fcShareEmbedded?: boolean }

function database(): Database {
  return (g.fcDatabase ??= createDatabase({ shareEmbedded: g.fcShareEmbedded }))
}

/**
 * Called by the app's server before its first query: on the embedded database, the
 * process serves it on a Unix socket so that admin commands, the seed and
 * demo:reset can use it while the app runs (lib/db/embedded-socket.ts).
 */
export function shareEmbeddedDatabase(): void {
  g.fcShareEmbedded = true
}

/** The Prisma client; created lazily so importing this module opens nothing. */
export const prisma = new Proxy({} as Database['prisma'], {
  get: (_, prop) => {
    const client = database().prisma
    const value: unknown = Reflect.get(client, prop)
    return typeof value === 'function' ? value.bind(client) : value
  },
})

/** Runs one of the app's SQL statements past Prisma (Database['query']). */
export const runStatement: Database['query'] = (sql, params) => database().query(sql, params)

/** Runs `work` in one transaction on the driver, past Prisma (Database['transaction']). */
export const runInTransaction: Database['transaction'] = (work) => database().transaction(work)

/** Makes `db` the process's client; for tests that watch what is sent (lib/testing/statement-log.ts). */
export function installDatabase(db: Database): void {
  if (g.fcDatabase) throw new Error('the database client is already in use: install another before the first query')
  g.fcDatabase = db
}

/** The embedded PGlite (opened on first use) when this process owns it; null on PostgreSQL or when another process does. */
export const embeddedDatabase = async () => (await database().embedded?.()) ?? null

export async function closeDatabase(): Promise<void> {
  const db = g.fcDatabase
  g.fcDatabase = undefined
  await db?.close()
}
