import { prisma } from '@/lib/db'
import { config } from '@/lib/config'
import { hashPassword } from '@/lib/auth/password'
import { DomainError } from '@/lib/errors'
import type { Actor } from '@/lib/auth/actor'
import { startSession } from '@/lib/auth/sessions'
import { DEDUCTION_TERMS } from '@/lib/admin/seed-data'

// Small builders for tests: rows as the seed would write them, made directly.
const tenantId = () => config().FC_TENANT_ID
let hashOnce: Promise<string> | undefined

export const TEST_PASSWORD = 'correct horse battery staple'

export async function createUser(email: string, name = email.split('@')[0]): Promise<string> {
  const id = `U${Math.random().toString().slice(2, 17).padEnd(15, '0')}`
  // hashing is the slow part of a test: every test user shares one password hash
  const passwordHash = await (hashOnce ??= hashPassword(TEST_PASSWORD))
  await prisma.user.create({ data: { tenantId: tenantId(), id, name, type: 'PERSONAL' } })
  await prisma.credential.create({ data: { tenantId: tenantId(), loginKey: email.toLowerCase(), userId: id, passwordHash } })
  return id
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

/** The result code a service call ends with: '00', or the DomainError's code; anything else is rethrown. */
export async function resultCode(promise: Promise<unknown>): Promise<string> {
  try {
    await promise
    return '00'
  } catch (error) {
    if (error instanceof DomainError) return error.code
    throw error
  }
}
