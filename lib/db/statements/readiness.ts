import { statement } from '@/lib/db/statement'

/** The readiness probe's question to the database: does it answer at all. */
export const databaseAnswers = statement<Record<string, never>, { one: number }>('database-answers', `SELECT 1 AS one`)
