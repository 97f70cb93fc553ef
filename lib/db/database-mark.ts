import path from 'node:path'
import { config, type Config } from '@/lib/config'
import { runStatement } from '@/lib/db'
import type { RunStatement } from '@/lib/db/client'
import type { PrismaClient } from '@/lib/generated/prisma/client'
import { rowsOn } from '@/lib/db/on-prisma'
import { markFirstUse, markProductionStatement, readMark } from '@/lib/db/statements/database-mark'

// Whether a database is a demo is a property of the database (its one row in
// de_database_mark), not of the shell a command runs in: the demo tools (public demo
// passwords, demo:reset, sign-in elsewhere) run only on a database marked 'demo',
// whatever NODE_ENV and DEMO_MODE say. docs/operations.md#the-demo-mark.

export type DatabaseMark = 'demo' | 'production'

/** The database as an operator knows it: the PostgreSQL URL without its password, or the embedded folder. */
export function describeDatabase(): string {
  const c = config()
  if (!c.DATABASE_URL) return `the embedded database in ${path.resolve(c.PGLITE_DIR)}`
  try {
    const url = new URL(c.DATABASE_URL)
    url.password = ''
    url.search = ''
    return `PostgreSQL ${url.toString()}`
  } catch {
    return 'PostgreSQL (DATABASE_URL)'
  }
}

/** A demo-only action refused on a database not marked demo. */
export class NotDemoDatabaseError extends Error {
  override name = 'NotDemoDatabaseError'
  constructor(
    readonly action: string,
    readonly database: string,
    readonly mark: DatabaseMark | null,
  ) {
    const state = mark === 'production' ? 'is marked production' : 'is not marked as a demo database'
    super(
      `${action} is refused: ${database} ${state}. Only a demo database may hold the public demo passwords or have its data reset, ` +
        'whatever NODE_ENV or DEMO_MODE say; a database is marked demo only when it is created for a demo ' +
        '(`npm run demo`, docs/operations.md#the-demo-mark).',
    )
  }
}

const UNDEFINED_TABLE = '42P01'

/** The statements of this module on a given Prisma client (a transaction's, or a test's). */
export const statementsOn = (db: PrismaClient): RunStatement => rowsOn(db)

/** The database's mark; null when none is set yet, or the database is not migrated that far. */
export async function readDatabaseMark(run: RunStatement = runStatement): Promise<DatabaseMark | null> {
  try {
    const [row] = await readMark.run(run, {})
    return row?.mark ?? null
  } catch (error) {
    if ((error as { code?: unknown }).code === UNDEFINED_TABLE) return null
    throw error
  }
}

export async function isDemoDatabase(run: RunStatement = runStatement): Promise<boolean> {
  return (await readDatabaseMark(run)) === 'demo'
}

/** Throws NotDemoDatabaseError, naming the database and `action`, unless the database is marked demo. */
export async function requireDemoDatabase(action: string, run: RunStatement = runStatement): Promise<void> {
  const mark = await readDatabaseMark(run)
  if (mark !== 'demo') throw new NotDemoDatabaseError(action, describeDatabase(), mark)
}

/**
 * Demo mode for this process's pages and demo tools: asked for (config().demoMode) and
 * on a demo database. False, never an error, when the database cannot say.
 */
export async function demoModeActive(): Promise<boolean> {
  if (!config().demoMode) return false
  return isDemoDatabase().catch(() => false)
}

/**
 * Sets the mark of a database that has none yet, as its first migration, seed or
 * start runs, and returns the mark it then has. An explicit DEMO_MODE=true makes a
 * database that holds no users or merchants yet a demo (`npm run demo`, the tests);
 * NODE_ENV=production without it makes any unmarked database production. Anything
 * else (a local run's default) leaves it unmarked, which the demo tools refuse.
 * A set mark is never changed here: one statement, so two first runs cannot both win.
 */
export async function markOnFirstUse(
  by: string,
  run: RunStatement = runStatement,
  c: Pick<Config, 'DEMO_MODE' | 'NODE_ENV'> = config(),
): Promise<DatabaseMark | null> {
  const wanted: DatabaseMark | null = c.DEMO_MODE === true ? 'demo' : c.NODE_ENV === 'production' ? 'production' : null
  if (wanted) {
    await markFirstUse.run(run, { mark: wanted, by })
  }
  return readDatabaseMark(run)
}

export type MarkedProduction = { before: DatabaseMark | null; markedAt: Date; markedBy: string }

/** Marks the database production, from demo or from no mark; a production database is left as it is. */
export async function markProduction(by: string, run: RunStatement = runStatement): Promise<MarkedProduction> {
  const before = await readDatabaseMark(run)
  if (before !== 'production') {
    await markProductionStatement.run(run, { by })
  }
  const [row] = await readMark.run(run, {})
  return { before, markedAt: row.markedAt, markedBy: row.markedBy }
}

export type DatabaseMarkRow = { mark: DatabaseMark; markedAt: Date; markedBy: string }

/** The mark with when and by what it was set; null when unmarked. */
export async function describeDatabaseMark(run: RunStatement = runStatement): Promise<DatabaseMarkRow | null> {
  const [row] = await readMark.run(run, {})
  return row ? { mark: row.mark, markedAt: row.markedAt, markedBy: row.markedBy } : null
}
