import pg from 'pg'
import { PGlite } from '@electric-sql/pglite'
import { PrismaPg } from '@prisma/adapter-pg'
import { PrismaPGlite } from 'pglite-prisma-adapter'
import type { SqlDriverAdapterFactory } from '@prisma/driver-adapter-utils'
import { PrismaClient } from '@/lib/generated/prisma/client'
import { config } from '@/lib/config'
import { lockDataDirectory } from '@/lib/db/pglite-lock'

export type Database = {
  prisma: PrismaClient
  /** the embedded database itself (opened on first use), for what only it can do (LISTEN); null on PostgreSQL */
  embedded: (() => PGlite) | null
  /** ends every connection; for the embedded database, also closes its files and frees the lock */
  close: () => Promise<void>
}

/** PostgreSQL through a pg pool whose every wait is bounded, so a dead database answers quickly. */
function postgresAdapter(url: string): { factory: SqlDriverAdapterFactory; close: () => Promise<void> } {
  const { DB_TIMEOUT_MS, DB_POOL_SIZE } = config()
  const pool = new pg.Pool({
    connectionString: url,
    max: DB_POOL_SIZE,
    connectionTimeoutMillis: DB_TIMEOUT_MS,
    query_timeout: DB_TIMEOUT_MS,
    statement_timeout: DB_TIMEOUT_MS,
    idleTimeoutMillis: 30_000,
  })
  // an idle client losing its server must not crash the process; the pool replaces it
  pool.on('error', () => {})
  return { factory: new PrismaPg(pool), close: () => pool.end() }
}

/**
 * The embedded PGlite database, opened on the first query and never at import:
 * `next build` imports server modules while collecting page data.
 */
function embeddedAdapter(dir: string): { factory: SqlDriverAdapterFactory; close: () => Promise<void>; open: () => PGlite } {
  let opened: { db: PGlite; release: () => void } | undefined
  const open = () => {
    if (!opened) {
      const release = lockDataDirectory(dir)
      opened = { db: new PGlite(dir), release }
    }
    return opened.db
  }
  const factory: SqlDriverAdapterFactory = {
    provider: 'postgres',
    adapterName: 'pglite-embedded',
    connect: () => new PrismaPGlite(open()).connect(),
  }
  const close = async () => {
    if (!opened) return
    const { db, release } = opened
    opened = undefined
    await db.close()
    release()
  }
  return { factory, close, open }
}

export function createDatabase(): Database {
  const c = config()
  const adapter = c.DATABASE_URL ? { ...postgresAdapter(c.DATABASE_URL), open: null } : embeddedAdapter(c.PGLITE_DIR)
  const { factory, close } = adapter
  const prisma = new PrismaClient({ adapter: factory })
  return {
    prisma,
    embedded: adapter.open,
    close: async () => {
      await prisma.$disconnect()
      await close()
    },
  }
}
