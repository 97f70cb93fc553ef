import { z } from 'zod'
import type { PrismaClient } from '@/lib/generated/prisma/client'
import { config } from '@/lib/config'
import { AdminError } from '@/lib/admin/errors'
import { parseInput, text } from '@/lib/admin/validation'

/** The columns that end a live session on an administrator's order. */
export const endedByAdmin = (now: Date) => ({
  status: 'REVOKED',
  endReason: 'ADMIN',
  endedAt: now,
  liveUserId: null,
})

const schema = z.object({ id: text(36) })

export type RevokeSessionResult = {
  id: string
  userId: string
  /** false when the session had already ended; its status and reason are then the earlier ones */
  revoked: boolean
  status: string
  endReason: string | null
  endedAt: Date | null
}

/** Ends one session. Revoking an ended session changes nothing and says so. */
export async function revokeSession(db: PrismaClient, input: { id: string }): Promise<RevokeSessionResult> {
  const { id } = parseInput(schema, input)
  const tenantId = config().FC_TENANT_ID
  // only a live row is updated, so a session that ended meanwhile keeps its own reason
  const { count } = await db.session.updateMany({
    where: { tenantId, id, liveUserId: { not: null } },
    data: endedByAdmin(new Date()),
  })
  const session = await db.session.findUnique({ where: { tenantId_id: { tenantId, id } } })
  if (!session) throw new AdminError('not-found', `no session with id ${id}`)
  return {
    id: session.id,
    userId: session.userId,
    revoked: count === 1,
    status: session.status,
    endReason: session.endReason,
    endedAt: session.endedAt,
  }
}
