import { DomainError, ResultCode } from '@/lib/errors'
import type { Actor } from '@/lib/auth/actor'

/** A session acts for its own user only (code 04 otherwise). */
export function assertActsForSelf(actor: Actor, userId: string): void {
  if (userId !== actor.userId) throw new DomainError(ResultCode.FORBIDDEN)
}
