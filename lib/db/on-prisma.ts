import type { PrismaClient, Prisma } from '@/lib/generated/prisma/client'
import type { RunStatement } from '@/lib/db/client'
import type { CountStatement } from '@/lib/db/statement'

type Client = PrismaClient | Prisma.TransactionClient

/**
 * A statement run through Prisma's client (or a transaction's): for the statements
 * that join a Prisma transaction, or whose values Prisma's own typing of parameters
 * suits (bigint ids, booleans), as its tagged SQL did.
 */
export const rowsOn =
  (db: Client): RunStatement =>
  (sql, params) =>
    db.$queryRawUnsafe(sql, ...params)

/** The same, for a statement that returns no rows: resolves with how many it changed. */
export const countOn =
  (db: Client): CountStatement =>
  (sql, params) =>
    db.$executeRawUnsafe(sql, ...params)
