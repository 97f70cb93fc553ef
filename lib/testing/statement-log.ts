import type { SqlDriverAdapter, SqlDriverAdapterFactory, SqlQuery, Transaction } from '@prisma/driver-adapter-utils'
import { createDatabase } from '@/lib/db/client'
import { installDatabase } from '@/lib/db'

/**
 * What the app sent to the real database (PGlite or PostgreSQL), through Prisma's
 * driver adapter or straight to the driver (Database['query']): one entry per round
 * trip. A statement is one;
 * a transaction adds its BEGIN (which the adapter sends itself) and its COMMIT or
 * ROLLBACK (sent as statements).
 */
export type StatementLog = {
  /** the round trips since the last reset, in order: the statement's text, or BEGIN */
  entries: () => string[]
  /** how many transactions were started since the last reset */
  transactions: () => number
  reset: () => void
}

/** Installs the process's database client with a log of what it sends; call before the first query. */
export function logStatements(): StatementLog {
  let entries: string[] = []
  let transactions = 0
  const note = (query: SqlQuery) => entries.push(query.sql.trim())

  const watchTransaction = (tx: Transaction): Transaction =>
    Object.assign(Object.create(tx) as Transaction, {
      queryRaw: (q: SqlQuery) => (note(q), tx.queryRaw(q)),
      executeRaw: (q: SqlQuery) => (note(q), tx.executeRaw(q)),
    })

  const watchAdapter = (adapter: SqlDriverAdapter): SqlDriverAdapter =>
    Object.assign(Object.create(adapter) as SqlDriverAdapter, {
      queryRaw: (q: SqlQuery) => (note(q), adapter.queryRaw(q)),
      executeRaw: (q: SqlQuery) => (note(q), adapter.executeRaw(q)),
      startTransaction: async (...args: Parameters<SqlDriverAdapter['startTransaction']>) => {
        transactions++
        entries.push('BEGIN')
        return watchTransaction(await adapter.startTransaction(...args))
      },
    })

  const wrap = (factory: SqlDriverAdapterFactory): SqlDriverAdapterFactory =>
    Object.assign(Object.create(factory) as SqlDriverAdapterFactory, {
      connect: async () => watchAdapter(await factory.connect()),
    })

  const db = createDatabase({ wrap })
  const query = db.query
  installDatabase({ ...db, query: (sql, params) => (entries.push(sql.trim()), query(sql, params)) })
  return {
    entries: () => [...entries],
    transactions: () => transactions,
    reset: () => {
      entries = []
      transactions = 0
    },
  }
}
