// Merchants, keys and a webhook endpoint made through the admin command line, as
// an operator would (docs/merchants.md), for the built-server tests.
import { execFileSync } from 'node:child_process'
import { root, testDataEncryptionKey } from './server-process'
import { tsxCommand } from '@/lib/testing/tsx-command'

function admin(env: Record<string, string | undefined>, args: string[]): string {
  const full = { ...process.env, DATA_ENCRYPTION_KEY: testDataEncryptionKey, ...env } as NodeJS.ProcessEnv
  if (!env.DATABASE_URL) delete full.DATABASE_URL
  return execFileSync(...tsxCommand(['scripts/admin.ts', ...args]), { cwd: root, env: full, stdio: 'pipe' }).toString()
}

const field = (output: string, pattern: RegExp) => {
  const match = pattern.exec(output)
  if (!match) throw new Error(`not found in the admin's output (${pattern}):\n${output}`)
  return match[1]
}

export type TestMerchant = { id: string; authorization: string; signingSecret?: string }

/** A merchant of the given products with an API key, and, when `webhookUrl` is given, its endpoint. */
export function addTestMerchant(env: Record<string, string | undefined>, name: string, products: string[], webhookUrl?: string): TestMerchant {
  const id = field(admin(env, ['merchant:add', '--name', name, '--products', products.join(',')]), /Added merchant (M\d{16})/)
  const authorization = field(admin(env, ['merchant:key:create', '--merchant', id]), /authorization\s+(Bearer \S+)/)
  if (!webhookUrl) return { id, authorization }
  const signingSecret = field(admin(env, ['webhook:set', '--merchant', id, '--url', webhookUrl]), /secret\s+(whsec_\S+)/)
  return { id, authorization, signingSecret }
}

export { admin as runAdmin }
