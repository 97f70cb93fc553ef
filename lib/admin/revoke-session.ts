import { z } from 'zod'
import type { PrismaClient } from '@/lib/generated/prisma/client'
import { config } from '@/lib/config'
import { AdminError } from '@/lib/admin/errors'
import { adminRefusal, text } from '@/lib/admin/validation'
import { parseInput } from '@/lib/validation/parse'
import { endLiveSession } from '@/lib/auth/sessions'

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
  const { id } = parseInput(schema, input, adminRefusal)
  const tenantId = config().FC_TENANT_ID
  const { count } = await endLiveSession(db, id, 'ADMIN')
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
