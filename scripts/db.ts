// Migrations for both databases, offline, through Prisma's wasm schema engine:
//   deploy          apply pending migrations (PostgreSQL with DATABASE_URL, else the embedded PGlite)
//   status          migration history against the database
//   drift           exit 1 when prisma/schema.prisma and prisma/migrations disagree (needs no server)
//   create <name>   write a new migration from the schema change (like `prisma migrate dev --create-only`)
//   reset           drop everything in the database (development only, on a demo database only)
// The standard `prisma migrate …` commands also work on PostgreSQL through scripts/schema-engine-shim.mjs.
import fs from 'node:fs/promises'
import path from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import pg from 'pg'
import { config } from '@/lib/config'
import type { RunStatement } from '@/lib/db/client'
import { markOnFirstUse, requireDemoDatabase } from '@/lib/db/database-mark'
import { lockDataDirectory } from '@/lib/db/pglite-lock'
import { makeDataFolderPrivate, tightenedMessage } from '@/lib/db/private-data-folder'
import { openPGlite } from '@/lib/db/private-pglite'
import { createSchemaEngine, loadMigrationsList, pgFactoryWithShadow, pgliteFactory } from './schema-engine-wasm.mjs'

const schemaFile = path.resolve('prisma/schema.prisma')
const migrationsDir = path.resolve('prisma/migrations')
const filters = { externalTables: [], externalEnums: [] }
const EMPTY = /^-- This is an empty migration\.\s*$/

type Connection = { factory: unknown; done: () => Promise<void>; run: RunStatement }

/** The schema engine's adapter, and the command's own statements (the database mark) on the same database. */
async function connect(command: string): Promise<Connection> {
  if (command === 'drift') {
    // compares two descriptions of the schema; an in-memory database is all it needs
    const db = new PGlite()
    const noStatements: RunStatement = async () => {
      throw new Error(`${command} runs no statement of its own`)
    }
    return { factory: await pgliteFactory(db), done: () => db.close(), run: noStatements }
  }
  const c = config()
  if (c.DATABASE_URL) {
    let client: pg.Client | undefined
    const run: RunStatement = async <T>(sql: string, params: readonly unknown[]) => {
      if (!client) {
        client = new pg.Client({ connectionString: c.DATABASE_URL })
        await client.connect()
      }
      return (await client.query(sql, [...params])).rows as T[]
    }
    return { factory: await pgFactoryWithShadow(c.DATABASE_URL), done: async () => { await client?.end() }, run }
  }
  const tightened = tightenedMessage(makeDataFolderPrivate(c.PGLITE_DIR))
  if (tightened) console.log(tightened)
  const release = lockDataDirectory(c.PGLITE_DIR)
  const db = openPGlite(c.PGLITE_DIR)
  const run: RunStatement = async <T>(sql: string, params: readonly unknown[]) => (await db.query<T>(sql, [...params])).rows
  return { factory: await pgliteFactory(db), done: async () => { await db.close(); release() }, run }
}

/**
 * Runs one of the commands above on the configured database and closes what it opened
 * (the embedded database's folder is free again when it resolves); drift's verdict is
 * process.exitCode. tests/support/prepare-database-cli.ts runs deploy through it.
 */
export async function runDbCommand(command = 'deploy', name = 'migration'): Promise<void> {
  const { factory, done, run } = await connect(command)
  const engine = await createSchemaEngine({ schemaFiles: [schemaFile], adapterFactory: factory })
  const schema = { files: [{ path: schemaFile, content: await fs.readFile(schemaFile, 'utf8') }] }
  const migrationsList = await loadMigrationsList(migrationsDir)
  const fromMigrations = migrationsList.migrationDirectories.length ? { tag: 'migrations', ...migrationsList } : { tag: 'empty' }

  try {
    switch (command) {
      case 'deploy': {
        const { appliedMigrationNames } = await engine.applyMigrations({ migrationsList, filters })
        console.log(appliedMigrationNames.length ? `Applied: ${appliedMigrationNames.join(', ')}` : 'No pending migrations.')
        // a new database is marked as it is first migrated (docs/operations.md#the-demo-mark)
        const mark = await markOnFirstUse('db:migrate', run)
        if (mark) console.log(`The database is marked ${mark}.`)
        break
      }
      case 'status': {
        const r = await engine.diagnoseMigrationHistory({ migrationsList, optInToShadowDatabase: false, filters })
        console.log(JSON.stringify(r, null, 2))
        break
      }
      case 'drift': {
        const { stdout } = await engine.diff({ from: fromMigrations, to: { tag: 'schemaDatamodel', ...schema }, script: true, exitCode: null, filters })
        if (stdout && !EMPTY.test(stdout)) {
          console.error('prisma/schema.prisma and prisma/migrations disagree; the missing migration would be:\n')
          console.error(stdout)
          console.error('Run `npm run db:create -- <name>` to write it.')
          process.exitCode = 1
        } else {
          console.log('Schema and migrations agree.')
        }
        break
      }
      case 'create': {
        const { stdout } = await engine.diff({ from: fromMigrations, to: { tag: 'schemaDatamodel', ...schema }, script: true, exitCode: null, filters })
        if (!stdout || EMPTY.test(stdout)) {
          console.log('No schema changes.')
          break
        }
        const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14)
        const dir = path.join(migrationsDir, `${stamp}_${name.replace(/\W+/g, '_')}`)
        await fs.mkdir(dir, { recursive: true })
        await fs.writeFile(path.join(dir, 'migration.sql'), stdout)
        await fs.writeFile(
          path.join(migrationsDir, 'migration_lock.toml'),
          '# Please do not edit this file manually\n# It should be added in your version-control system (e.g., Git)\nprovider = "postgresql"\n',
        )
        console.log(`Created ${path.relative(process.cwd(), dir)}/migration.sql`)
        break
      }
      case 'reset': {
        if (config().NODE_ENV === 'production') throw new Error('reset is refused in production')
        // it drops every table: only a demo's data may go that way, whatever the shell says
        await requireDemoDatabase('db.ts reset (drops every table)', run)
        await engine.reset({ filter: filters })
        console.log('Database reset.')
        break
      }
      default:
        throw new Error(`unknown command "${command}" (deploy | status | drift | create <name> | reset)`)
    }
  } finally {
    await engine.close()
    await done()
  }
}

// as a command (`tsx scripts/db.ts …`), not when imported
if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const [command, name] = process.argv.slice(2)
  await runDbCommand(command, name)
  // the wasm engine leaves a 10 s timer behind; do not wait for it
  process.exit(process.exitCode ?? 0)
}
