import { statement } from '@/lib/db/statement'

/** Takes the named lock for the connection's session, or says another session holds it. */
export const trySessionLock = statement<{ name: string }, { locked: boolean }>(
  'try-session-lock',
  `SELECT pg_try_advisory_lock(hashtextextended(:name, 0)) AS locked`,
)
