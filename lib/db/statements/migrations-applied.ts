import { statement } from '@/lib/db/statement'

/** Whether the migrations' own table exists (a database never migrated has none). */
export const migrationsTableExists = statement<Record<string, never>, { exists: boolean }>(
  'migrations-table-exists',
  `SELECT to_regclass('_prisma_migrations') IS NOT NULL AS "exists"`,
)

/** The migrations applied and not rolled back. */
export const appliedMigrations = statement<Record<string, never>, { name: string }>(
  'applied-migrations',
  `SELECT migration_name AS name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
)
