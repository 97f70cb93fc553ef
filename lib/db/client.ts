import pg from 'pg'
import { PGlite } from '@electric-sql/pglite'
import { PrismaPg } from '@prisma/adapter-pg'
import { PrismaPGlite } from 'pglite-prisma-adapter'
import type { SqlDriverAdapterFactory } from '@prisma/driver-adapter-utils'
import { PrismaClient } from '@/lib/generated/prisma/client'
import { config } from '@/lib/config'
import { lockDataDirectory } from '@/lib/db/pglite-lock'

/** Runs one parameterised statement ($1, $2, …) and resolves with its rows. */
export type RunStatement = <T>(sql: string, params: readonly unknown[]) => Promise<T[]>

export type Database = {
  prisma: PrismaClient
  /**
   * The hot paths' statements, straight to the driver (the pg pool, or PGlite), past
   * Prisma's client: for hand-written SQL it only adds per-call work (docs/architecture.md#statements).
   * Rows come back as the driver parses them: timestamptz as Date, int4 and float8 as number.
   */
  query: RunStatement
  /** the embedded database itself (opened on first use), for what only it can do (LISTEN); null on PostgreSQL */
  embedded: (() => PGlite) | null
  /** ends every connection; for the embedded database, also closes its files and frees the lock */
  close: () => Promise<void>
}

/** PostgreSQL through a pg pool whose every wait is bounded, so a dead database answers quickly. */
type Driver = { factory: SqlDriverAdapterFactory; query: RunStatement; close: () => Promise<void> }

function postgresAdapter(url: string): Driver {
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
  const query: RunStatement = async <T>(sql: string, params: readonly unknown[]) => (await pool.query(sql, [...params])).rows as T[]
  return { factory: new PrismaPg(pool), query, close: () => pool.end() }
}

/**
 * The embedded PGlite database, opened on the first query and never at import:
 * `next build` imports server modules while collecting page data.
 */
function embeddedAdapter(dir: string): Driver & { open: () => PGlite } {
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
  // PGlite runs a query only when no transaction is open on it, so a statement never lands in Prisma's
  const query: RunStatement = async <T>(sql: string, params: readonly unknown[]) => (await open().query<T>(sql, [...params])).rows
  return { factory, query, close, open }
}

/** `wrap` sees every statement the client sends (the tests count a login's round trips with it). */
export function createDatabase(wrap: (factory: SqlDriverAdapterFactory) => SqlDriverAdapterFactory = (f) => f): Database {
  const c = config()
  const adapter = c.DATABASE_URL ? { ...postgresAdapter(c.DATABASE_URL), open: null } : embeddedAdapter(c.PGLITE_DIR)
  const { factory, query, close } = adapter
  const prisma = new PrismaClient({ adapter: wrap(factory) })
  return {
    prisma,
    query,
    embedded: adapter.open,
    close: async () => {
      await prisma.$disconnect()
      await close()
    },
  }
}
