// Migrates, seeds and adds the e2e users to the database named by the given
// environment (DATABASE_URL, or PGLITE_DIR for the embedded one), through the
// same commands an operator runs. A new embedded database is made a demo one (its
// mark, lib/db/database-mark.ts), with the demo accounts, as `npm run dev` makes it,
// unless `env` says DEMO_MODE; PostgreSQL only when asked for.
import { execFileSync } from 'node:child_process'
import { root } from './server-process'

export function prepareDatabase(env: Record<string, string | undefined>): void {
  const full = { ...process.env, ...env } as NodeJS.ProcessEnv
  if (!env.DATABASE_URL) delete full.DATABASE_URL
  if (!env.DATABASE_URL && !('DEMO_MODE' in env)) full.DEMO_MODE = 'true'
  if (full.DEMO_MODE === undefined) delete full.DEMO_MODE
  for (const script of [['scripts/db.ts', 'deploy'], ['prisma/seed.ts'], ['scripts/e2e-users.ts']]) {
    execFileSync('npx', ['tsx', ...script], { cwd: root, env: full, stdio: 'pipe' })
  }
}

export { E2E_PASSWORD, e2eUser } from './e2e-accounts'
