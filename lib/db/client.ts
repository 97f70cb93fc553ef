import path from 'node:path'
import pg from 'pg'
import type { PGlite } from '@electric-sql/pglite'
import { PrismaPg } from '@prisma/adapter-pg'
import { PrismaPGlite } from 'pglite-prisma-adapter'
import type { SqlDriverAdapterFactory } from '@prisma/driver-adapter-utils'
import { PrismaClient } from '@/lib/generated/prisma/client'
import { config } from '@/lib/config'
import { advertiseSocket, EmbeddedDatabaseInUseError, lockDataDirectory } from '@/lib/db/pglite-lock'
import { serveEmbeddedDatabase, type EmbeddedSocket } from '@/lib/db/embedded-socket'
import { statementNames } from '@/lib/db/statement-names'
import { makeDataFolderPrivate, tightenedMessage } from '@/lib/db/private-data-folder'
import { openPGlite } from '@/lib/db/private-pglite'

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
  /**
   * Runs `work` in one transaction straight on the driver: BEGIN, its statements, COMMIT
   * (ROLLBACK when it throws). Prisma's interactive transaction costs more than a short
   * transaction's own statements (the sign page's confirm, docs/operations.md#benchmarks).
   */
  transaction: Transaction
  /** the embedded database itself (opened on first use), for what only it can do (LISTEN); null on PostgreSQL */
  embedded: (() => Promise<PGlite | null>) | null
  /** ends every connection; for the embedded database, also closes its files and frees the lock */
  close: () => Promise<void>
}

/** Runs `work` in one transaction; `run` sends its statements. */
export type Transaction = <T>(work: (run: RunStatement) => Promise<T>) => Promise<T>

type Adapter = { factory: SqlDriverAdapterFactory; query: RunStatement; transaction: Transaction; close: () => Promise<void> }

/** A pg pool whose every wait is bounded, so a dead database answers quickly; `prepare` names the statements. */
function poolAdapter(options: pg.PoolConfig, prepare = false): Adapter {
  const { DB_TIMEOUT_MS, DB_POOL_SIZE } = config()
  const pool = new pg.Pool({
    max: DB_POOL_SIZE,
    connectionTimeoutMillis: DB_TIMEOUT_MS,
    query_timeout: DB_TIMEOUT_MS,
    idleTimeoutMillis: 30_000,
    ...options,
  })
  // an idle client losing its server must not crash the process; the pool replaces it
  pool.on('error', () => {})
  dropConnectionsToReadOnlyServers(pool)
  const nameOf = prepare ? statementNames() : () => undefined
  const on =
    (client: pg.Pool | pg.PoolClient): RunStatement =>
    async <T>(sql: string, params: readonly unknown[]) =>
      (await client.query({ name: nameOf(sql), text: sql, values: [...params] })).rows as T[]
  const transaction: Transaction = async (work) => {
    const client = await pool.connect()
    let broken: Error | undefined
    try {
      await client.query('BEGIN')
      const result = await work(on(client))
      await client.query('COMMIT')
      return result
    } catch (error) {
      // a connection that cannot even roll back is ended, not given back to the pool
      await client.query('ROLLBACK').catch((rollback: Error) => (broken = rollback))
      throw error
    } finally {
      client.release(broken)
    }
  }
  // Prisma's statements by name too, above all the ones a transaction runs, which go
  // through its client; pg sends an empty name as the unnamed statement
  const factory = new PrismaPg(pool, { statementNameGenerator: (statement) => nameOf(statement.sql) ?? '' })
  return { factory, query: on(pool), transaction, close: () => pool.end() }
}

/** the server refused a write as read-only: it is a standby (docs/operations.md#database-failover) */
const READ_ONLY_SQL_TRANSACTION = '25006'

/**
 * A connection that found its server read-only (the endpoint led it to a standby: before a
 * promotion, or to an old primary come back as a standby) ends when it is released
 * instead of going back to the pool, so the next call connects through the endpoint
 * again, to the primary. The pool already drops a connection whose plain query failed;
 * a transaction's connection is released without its error, so the server's error
 * message itself marks it.
 */
function dropConnectionsToReadOnlyServers(pool: pg.Pool): void {
  const onStandby = new WeakSet<pg.PoolClient>()
  pool.on('connect', (client) => {
    client.connection.on('errorMessage', (message: { code?: string }) => {
      if (message.code === READ_ONLY_SQL_TRANSACTION) onStandby.add(client)
    })
  })
  // emitted before the pool decides; an ending client is removed, not kept
  pool.on('release', (error, client) => {
    if (!error && onStandby.has(client)) void client.end().catch(() => {})
  })
}

/** PostgreSQL. */
function postgresAdapter(url: string): Adapter {
  return poolAdapter({ connectionString: url, statement_timeout: config().DB_TIMEOUT_MS }, true)
}

/**
 * Another process's embedded database, through the Unix socket it serves it on
 * (lib/db/embedded-socket.ts): a PostgreSQL client whose host is the socket's folder.
 * One connection, as PGlite itself is (inside a transaction, statements go to its `tx`).
 */
function socketAdapter(socket: string): Adapter {
  const port = Number(/\.s\.PGSQL\.(\d+)$/.exec(socket)?.[1] ?? 5432)
  // connecting waits for a turn behind the app's own work: a longer bound than for PostgreSQL
  const connectionTimeoutMillis = Math.max(config().DB_TIMEOUT_MS, 10_000)
  return poolAdapter({ host: path.dirname(socket), port, user: 'postgres', database: 'postgres', max: 1, connectionTimeoutMillis })
}

type Embedded =
  | { owner: true; db: PGlite; release: () => void; socket?: EmbeddedSocket }
  | { owner: false; adapter: Adapter }

/**
 * The embedded PGlite database, opened on the first query and never at import:
 * `next build` imports server modules while collecting page data.
 *
 * One process owns the folder (lib/db/pglite-lock.ts). With `share`, the owner (the
 * app) also serves it on a Unix socket in the folder; a process that finds the
 * folder owned by such a process connects through that socket instead of opening
 * the folder, and one that finds it owned by a process that does not share it
 * (a seed, an admin command, a migration) is refused as before.
 */
function embeddedAdapter(dir: string, share: boolean): Adapter & { open: () => Promise<PGlite | null> } {
  let opening: Promise<Embedded> | undefined
  const open = async (): Promise<Embedded> => {
    const tightened = tightenedMessage(makeDataFolderPrivate(dir))
    // imported here: the logger reads the configuration as it loads, which importing this module must not
    if (tightened) (await import('@/lib/observability/logger')).logger.warn(tightened)
    let release: () => void
    try {
      release = lockDataDirectory(dir)
    } catch (error) {
      if (error instanceof EmbeddedDatabaseInUseError && error.socket) return { owner: false, adapter: socketAdapter(error.socket) }
      throw error
    }
    const db = openPGlite(dir)
    if (!share) return { owner: true, db, release }
    const { logger } = await import('@/lib/observability/logger')
    try {
      const socket = await serveEmbeddedDatabase(db, dir)
      advertiseSocket(dir, socket.path)
      logger.info({ socket: socket.path }, 'embedded database shared on a Unix socket (admin commands connect through it)')
      return { owner: true, db, release, socket }
    } catch (error) {
      // the app still works; admin commands are then refused while it runs, as without sharing
      logger.warn({ err: error }, 'could not share the embedded database on a Unix socket')
      return { owner: true, db, release }
    }
  }
  const opened = () => {
    // a refusal is not kept: the next query tries again (the owner may have gone)
    opening ??= open().catch((error: unknown) => {
      opening = undefined
      throw error
    })
    return opening
  }
  const factory: SqlDriverAdapterFactory = {
    provider: 'postgres',
    adapterName: 'pglite-embedded',
    connect: async () => {
      const embedded = await opened()
      return embedded.owner ? new PrismaPGlite(embedded.db).connect() : embedded.adapter.factory.connect()
    },
  }
  const close = async () => {
    const pending = opening
    opening = undefined
    const embedded = await pending?.catch(() => undefined)
    if (!embedded) return
    if (!embedded.owner) return embedded.adapter.close()
    // the socket first: it rolls back what a client left open, on the database still open
    await embedded.socket?.stop()
    await embedded.db.close()
    embedded.release()
  }
  // PGlite runs a query only when no transaction is open on it, so a statement never lands in Prisma's
  const query: RunStatement = async <T>(sql: string, params: readonly unknown[]) => {
    const embedded = await opened()
    return embedded.owner ? (await embedded.db.query<T>(sql, [...params])).rows : embedded.adapter.query<T>(sql, params)
  }
  // PGlite's own transaction: the statements of others wait for it, as they wait for Prisma's
  const transaction: Transaction = async (work) => {
    const embedded = await opened()
    if (!embedded.owner) return embedded.adapter.transaction(work)
    return embedded.db.transaction((tx) => work(async <T>(sql: string, params: readonly unknown[]) => (await tx.query<T>(sql, [...params])).rows))
  }
  // the database itself, for what only it can do (LISTEN); null when another process owns it
  const own = async () => {
    const embedded = await opened()
    return embedded.owner ? embedded.db : null
  }
  return { factory, query, transaction, close, open: own }
}

/**
 * `shareEmbedded`: the app's own database serves the embedded database to the admin
 * commands (see embeddedAdapter). `wrap` sees every statement the client sends (the
 * tests count a login's round trips with it).
 */
export function createDatabase(
  options: { shareEmbedded?: boolean; wrap?: (factory: SqlDriverAdapterFactory) => SqlDriverAdapterFactory } = {},
): Database {
  const c = config()
  const adapter = c.DATABASE_URL ? { ...postgresAdapter(c.DATABASE_URL), open: null } : embeddedAdapter(c.PGLITE_DIR, options.shareEmbedded ?? false)
  const { factory, query, transaction, close } = adapter
  const prisma = new PrismaClient({ adapter: (options.wrap ?? ((f) => f))(factory) })
  return {
    prisma,
    query,
    transaction,
    embedded: adapter.open,
    close: async () => {
      await prisma.$disconnect()
      await close()
    },
  }
}
