import { statement } from '@/lib/db/statement'
import type { DatabaseMark } from '@/lib/db/database-mark'

/** The database's mark with when and by what it was set (no row: unmarked). */
export const readMark = statement<Record<string, never>, { mark: DatabaseMark; markedAt: Date; markedBy: string }>(
  'read-database-mark',
  `SELECT mark, gmt_marked AS "markedAt", marked_by AS "markedBy" FROM de_database_mark WHERE id = 1`,
)

/**
 * Sets the mark on first use when none is set: production always, demo only on a
 * database that holds no users or merchants yet. A set mark is never changed here.
 */
export const markFirstUse = statement<{ mark: DatabaseMark; by: string }>(
  'mark-database-on-first-use',
  `INSERT INTO de_database_mark (id, mark, marked_by)
   SELECT 1, :mark::varchar, :by::varchar
    WHERE :mark::varchar = 'production'
       OR NOT (EXISTS (SELECT 1 FROM de_user) OR EXISTS (SELECT 1 FROM de_merchant))
   ON CONFLICT (id) DO NOTHING`,
)

/** Marks the database production, from demo or from no mark; a production mark is left as it is. */
export const markProductionStatement = statement<{ by: string }>(
  'mark-database-production',
  `INSERT INTO de_database_mark (id, mark, marked_by) VALUES (1, 'production', :by::varchar)
   ON CONFLICT (id) DO UPDATE SET mark = 'production', marked_by = EXCLUDED.marked_by, gmt_marked = now()
    WHERE de_database_mark.mark <> 'production'`,
)
