import { prisma } from '@/lib/db'
import { config } from '@/lib/config'
import { DomainError } from '@/lib/errors'
import type { Actor } from '@/lib/auth/actor'
import { startSession } from '@/lib/auth/sessions'
import { DEDUCTION_TERMS } from '@/lib/admin/seed-data'
import { createUser as makeUser } from '../../tests/support/db-utils'

// Small builders for the database-layer tests: rows as the seed would write them, made
// directly. Users come from the suites' one data-maker module (tests/support/db-utils.ts).
const tenantId = () => config().FC_TENANT_ID

export { TEST_PASSWORD } from '../../tests/support/db-utils'

/** A new user who logs in with `email` (lower-cased) and TEST_PASSWORD; resolves with the user's id. */
export async function createUser(email: string, name = email.split('@')[0]): Promise<string> {
  return (await makeUser({ email: email.toLowerCase(), name })).userId
}

export async function createCatalogue(extraProducts = 0): Promise<void> {
  await prisma.arrangement.create({
    data: {
      tenantId: tenantId(), number: '00000001', name: '扣费合约', version: '20200504', type: 'Deduction', status: '2',
      properties: JSON.stringify(DEDUCTION_TERMS),
    },
  })
  await prisma.product.createMany({
    data: [
      { tenantId: tenantId(), code: '00000001', name: '摩拜单车微信免密支付', description: '单车', orgName: '摩拜单车' },
      { tenantId: tenantId(), code: '00000002', name: '上海公共交通微信免密支付', description: '公交', orgName: '上海公共交通乘车码' },
      ...Array.from({ length: extraProducts }, (_, i) => ({
        tenantId: tenantId(), code: `P${String(i).padStart(7, '0')}`, name: `Product ${i}`, description: 'test', orgName: `Org ${i}`,
      })),
    ],
  })
}

/** A live session for the user, as a login would leave it. */
export async function actorFor(userId: string): Promise<Actor> {
  const session = await startSession({ userId, channel: 'api', device: 'Test runner' })
  return { tenantId: session.tenantId, userId, sessionId: session.id, device: session.device }
}

/** The result code a domain call ends with: '00', or the DomainError's code; anything else is rethrown. */
export async function resultCode(promise: Promise<unknown>): Promise<string> {
  try {
    await promise
    return '00'
  } catch (error) {
    if (error instanceof DomainError) return error.code
    throw error
  }
}
