import { statement } from '@/lib/db/statement'

export type RetentionParameters = { tenantId: string; cutoff: Date; limit: number }

/**
 * What "past retention" means for a session (de_session aliased `s`): it stopped
 * being live before `:cutoff`, whether it was ended (ended_at) or timed out (idle or
 * absolute expiry); LEAST skips a NULL ended_at. A live session is never past
 * retention, however old: the live-slot test guards the ended_at branch, and an
 * expiry before `:cutoff` (which is in the past) is not live. The range on
 * absolute_expires_at lets the index find the candidates: a session stops at the
 * latest at its absolute expiry, which is at most `:absoluteSeconds` after it
 * started, so it holds every session past retention that was started under the
 * current SESSION_ABSOLUTE_SECONDS (one started under a longer setting waits until
 * its absolute expiry is before `:cutoff`).
 */
export const SESSION_PAST_RETENTION = `(
  s.absolute_expires_at < :cutoff::timestamptz + make_interval(secs => :absoluteSeconds)
  AND LEAST(s.ended_at, s.idle_expires_at, s.absolute_expires_at) < :cutoff
  AND (s.live_user_id IS NULL OR s.idle_expires_at < :cutoff OR s.absolute_expires_at < :cutoff))`

export type SessionRetentionParameters = RetentionParameters & { absoluteSeconds: number }

/**
 * Deletes at most `limit` sessions of the tenant past retention, skipping rows
 * another transaction holds. Their refresh tokens go first (refresh-tokens-of-old-sessions.ts).
 */
export const deleteSessionsPastRetention = statement<SessionRetentionParameters>(
  'delete-sessions-past-retention',
  `DELETE FROM de_session WHERE ctid IN (
     SELECT s.ctid FROM de_session s
     WHERE s.tnt_inst_id = :tenantId AND ${SESSION_PAST_RETENTION}
     LIMIT :limit FOR UPDATE SKIP LOCKED)`,
)
