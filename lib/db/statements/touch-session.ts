import { statement } from '@/lib/db/statement'

/** Slides a live session's idle window (at most once a minute, lib/auth/sessions.ts). */
export const touchSession = statement<{ tenantId: string; sessionId: string; idleExpiresAt: Date; now: Date }>(
  'touch-session',
  `UPDATE de_session SET last_seen_at = :now::timestamptz, idle_expires_at = :idleExpiresAt::timestamptz
   WHERE tnt_inst_id = :tenantId AND session_id = :sessionId AND live_user_id IS NOT NULL`,
)
