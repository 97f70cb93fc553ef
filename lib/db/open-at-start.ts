import { pendingMigrations } from '@/lib/db/pending-migrations'

export type DatabaseAtStart = { state: 'ready' } | { state: 'refused'; message: string } | { state: 'unreachable'; error: unknown }

/**
 * Opens the database once as the server starts: a locked embedded database or one
 * missing migrations must stop the start, not the first request. A database that
 * cannot be reached is not a reason to stop: /readyz reports it until it answers.
 */
export async function openDatabaseAtStart(projectRoot: string): Promise<DatabaseAtStart> {
  let pending: string[]
  try {
    pending = await pendingMigrations(projectRoot)
  } catch (error) {
    for (let e: unknown = error; e instanceof Error; e = e.cause) {
      if (e.name === 'EmbeddedDatabaseInUseError') return { state: 'refused', message: e.message }
    }
    return { state: 'unreachable', error }
  }
  if (pending.length === 0) return { state: 'ready' }
  return { state: 'refused', message: `The database has ${pending.length} pending migration(s) (${pending.join(', ')}): run \`npm run db:migrate\` first.` }
}
