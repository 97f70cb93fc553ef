// Migrates, seeds and adds the e2e users to the database named by the given
// environment (DATABASE_URL, or PGLITE_DIR for the embedded one), through the
// same commands an operator runs.
import { execFileSync } from 'node:child_process'
import { root } from './server-process'

export function prepareDatabase(env: Record<string, string | undefined>): void {
  const full = { ...process.env, ...env } as NodeJS.ProcessEnv
  if (!env.DATABASE_URL) delete full.DATABASE_URL
  for (const script of [['scripts/db.ts', 'deploy'], ['prisma/seed.ts'], ['scripts/e2e-users.ts']]) {
    execFileSync('npx', ['tsx', ...script], { cwd: root, env: full, stdio: 'pipe' })
  }
}

export { E2E_PASSWORD, e2eUser } from './e2e-accounts'
