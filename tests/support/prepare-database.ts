// Migrates and seeds the database named by the given environment (DATABASE_URL,
// or PGLITE_DIR for the embedded one) as the commands an operator runs do
// (`scripts/db.ts deploy`, then `prisma/seed.ts`, through their own functions), and makes
// `users` new users in it (tests/support/db-utils.ts), each with a unique e-mail, so that
// no two tests share an account: all in one process of its own, prepare-database-cli.ts.
// A new embedded database is made a demo one (its mark, lib/db/database-mark.ts), with the
// demo accounts, as `npm run dev` makes it, unless `env` says DEMO_MODE; PostgreSQL only when asked for.
import { execFileSync } from 'node:child_process'
import { root } from './server-process'
import type { TestUser } from './db-utils'
import { tsxCommand } from '@/lib/testing/tsx-command'

const tsx = (args: string[], env: NodeJS.ProcessEnv) => execFileSync(...tsxCommand(args), { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] }).toString()

// the last line is the users' JSON; anything logged before it is not
const lastLineJson = (out: string) => JSON.parse(out.trim().split('\n').at(-1)!) as TestUser[]

export function prepareDatabase(env: Record<string, string | undefined>, options: { users?: number; label?: string } = {}): TestUser[] {
  const full = { ...process.env, ...env } as NodeJS.ProcessEnv
  if (!env.DATABASE_URL) delete full.DATABASE_URL
  if (!env.DATABASE_URL && !('DEMO_MODE' in env)) full.DEMO_MODE = 'true'
  if (full.DEMO_MODE === undefined) delete full.DEMO_MODE
  // one process, not three: each start of Node and tsx through npx, with the app's modules, cost about 1 s
  return lastLineJson(tsx(['tests/support/prepare-database-cli.ts', String(options.users ?? 0), options.label ?? 'user'], full))
}

/** `count` new users in the database of `env`, made by a process of their own (the test's may not hold the database). */
export function makeUsers(env: NodeJS.ProcessEnv, count: number, label = 'user'): TestUser[] {
  return lastLineJson(tsx(['tests/support/make-users.ts', String(count), label], env))
}

export { TEST_PASSWORD, type TestUser } from './db-utils'
