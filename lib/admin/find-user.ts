import type { PrismaClient } from '@/lib/generated/prisma/client'
import { config } from '@/lib/config'
import { AdminError } from '@/lib/admin/errors'

export type AdminUser = { id: string; email: string | null; name: string; type: string; status: string }

/** The tenant's user named by e-mail (login key) or user id; throws AdminError('not-found'). */
export async function findUser(db: PrismaClient, ref: { email?: string; userId?: string }): Promise<AdminUser> {
  const tenantId = config().FC_TENANT_ID
  let id = ref.userId
  let email: string | null = ref.email ?? null
  if (ref.email !== undefined) {
    const credential = await db.credential.findUnique({ where: { tenantId_loginKey: { tenantId, loginKey: ref.email } } })
    if (!credential) throw new AdminError('not-found', `no user with e-mail ${ref.email}`)
    id = credential.userId
  }
  if (id === undefined) throw new AdminError('invalid', 'give either an e-mail or a user id')
  const user = await db.user.findUnique({ where: { tenantId_id: { tenantId, id } } })
  if (!user) throw new AdminError('not-found', `no user with id ${id}`)
  if (email === null) {
    const credential = await db.credential.findFirst({ where: { tenantId, userId: id }, orderBy: { createdAt: 'asc' } })
    email = credential?.loginKey ?? null
  }
  return { id: user.id, email, name: user.name, type: user.type, status: user.status }
}
