import { randomInt } from 'node:crypto'
import { z } from 'zod'
import type { PrismaClient } from '@/lib/generated/prisma/client'
import { config } from '@/lib/config'
import { hashPassword } from '@/lib/auth/password'
import { AdminError, newOrConflict } from '@/lib/admin/errors'
import { adminRefusal, email, text } from '@/lib/admin/validation'
import { parseInput } from '@/lib/validation/parse'
import { newPassword } from '@/lib/validation/fields'
import { UserStatus } from '@/lib/statuses'

const schema = z.object({
  email,
  name: text(255),
  type: text(32)
    .regex(/^[A-Z][A-Z0-9_]*$/, 'must be upper-case letters, digits and _ (e.g. PERSONAL)')
    .default('PERSONAL'),
  // the rule login applies, so that every password set here can be used to log in
  password: newPassword,
})

export type CreateUserInput = z.input<typeof schema>
export type CreatedUser = { id: string; email: string; name: string; type: string; status: string }

/** 'U' and 16 random digits, the shape of the seed users' ids (U0000000000000001). */
export function newUserId(): string {
  const digits = () => String(randomInt(100_000_000)).padStart(8, '0')
  return `U${digits()}${digits()}`
}

/** Creates a user and its login credential (argon2id) in one transaction. */
export async function createUser(db: PrismaClient, input: CreateUserInput): Promise<CreatedUser> {
  const { email: loginKey, name, type, password } = parseInput(schema, input, adminRefusal)
  const tenantId = config().FC_TENANT_ID
  const taken = await db.credential.findUnique({ where: { tenantId_loginKey: { tenantId, loginKey } } })
  if (taken) throw new AdminError('conflict', `a user with e-mail ${loginKey} already exists (${taken.userId})`)

  const id = newUserId()
  const passwordHash = await hashPassword(password)
  // the e-mail may be taken between the check and the insert (the id is random: a clash is negligible)
  const [user] = await newOrConflict(
    () =>
      db.$transaction([
        db.user.create({ data: { tenantId, id, name, type, status: UserStatus.ACTIVE } }),
        db.credential.create({ data: { tenantId, loginKey, userId: id, passwordHash } }),
      ]),
    `a user with e-mail ${loginKey} already exists`,
  )
  return { id: user.id, email: loginKey, name: user.name, type: user.type, status: user.status }
}
