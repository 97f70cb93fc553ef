import fs from 'node:fs'
import path from 'node:path'
import { prisma } from '@/lib/db'
import { rowsOn } from '@/lib/db/on-prisma'
import { appliedMigrations, migrationsTableExists } from '@/lib/db/statements/migrations-applied'

/**
 * The migrations in prisma/migrations that the database has not applied (all of them
 * on a database without tables). A server must not answer on half a schema: it
 * refuses to start, or reports not ready, until `npm run db:migrate` has run.
 */
export async function pendingMigrations(projectRoot: string): Promise<string[]> {
  const dir = path.join(projectRoot, 'prisma/migrations')
  const wanted = fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
  const [{ exists }] = await migrationsTableExists.run(rowsOn(prisma), {})
  if (!exists) return wanted
  const applied = await appliedMigrations.run(rowsOn(prisma), {})
  const done = new Set(applied.map((row) => row.name))
  return wanted.filter((name) => !done.has(name))
}
