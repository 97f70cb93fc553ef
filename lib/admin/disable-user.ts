import type { PrismaClient } from '@/lib/generated/prisma/client'
import { config } from '@/lib/config'
import { findUser, type AdminUser } from '@/lib/admin/find-user'
import { adminRefusal, userRef, type UserRef } from '@/lib/admin/validation'
import { parseInput } from '@/lib/validation/parse'
import { endSessionsOfUser } from '@/lib/auth/sessions'
import { UserStatus } from '@/lib/statuses'

export const USER_STATUS_DISABLED = UserStatus.DISABLED

export type DisableUserResult = { user: AdminUser; alreadyDisabled: boolean; sessionsEnded: number }

/**
 * Disables a user (status 2) and ends its live session in the same transaction.
 * The user row is updated first: its row lock is the one a starting session takes
 * to read the status (lib/auth/sessions.ts), so no session outlives the disable.
 */
export async function disableUser(db: PrismaClient, input: UserRef): Promise<DisableUserResult> {
  const ref = parseInput(userRef, input, adminRefusal)
  const user = await findUser(db, ref)
  const tenantId = config().FC_TENANT_ID
  const [disabled, ended] = await db.$transaction([
    db.user.updateMany({
      where: { tenantId, id: user.id, status: { not: USER_STATUS_DISABLED } },
      data: { status: USER_STATUS_DISABLED },
    }),
    endSessionsOfUser(db, user.id, 'ADMIN'),
  ])
  return {
    user: { ...user, status: USER_STATUS_DISABLED },
    alreadyDisabled: disabled.count === 0,
    sessionsEnded: ended.count,
  }
}
