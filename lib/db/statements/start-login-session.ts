import { statement } from '@/lib/db/statement'
import { AFTER_FREED_SLOTS, FREE_SLOTS, type SlotParameters } from '@/lib/db/statements/login-slots'

export type StartSessionParameters = SlotParameters & {
  userId: string
  sessionId: string
  channel: string
  device: string
  ipAddress: string | null
  tokenHash: string | null
  tokenExpiresAt: Date | null
  now: Date
  idleExpiresAt: Date
  absoluteExpiresAt: Date
  refreshTokenHash: string | null
  refreshExpiresAt: Date | null
  activeStatus: string
  /** record the attempt (false for sessions the tests make) */
  recordAttempt: boolean
}

/**
 * The second statement of a login whose password was right: frees its slots (they
 * count nothing), locks the user row and reads the status under the lock, ends the
 * user's live session (REPLACED, replaced_by the new one), starts the new session
 * with its refresh token, and records the attempt (SUCCESS, or UNKNOWN_USER when the
 * user was disabled meanwhile, which starts nothing). The unique key on live_user_id
 * guards the outcome: a login of the same user that committed after this statement
 * began makes it fail as a unique violation, and it is run again (lib/auth/sessions.ts).
 */
export const startLoginSession = statement<StartSessionParameters, { started: boolean; replaced: number }>(
  'start-login-session',
  `WITH ${FREE_SLOTS}, u AS (
     SELECT user_id FROM de_user WHERE tnt_inst_id = :tenantId AND user_id = :userId::text AND user_status = :activeStatus AND ${AFTER_FREED_SLOTS}
     FOR UPDATE
   ), ended AS (
     UPDATE de_session s SET live_user_id = NULL, status = 'REVOKED', end_reason = 'REPLACED', ended_at = :now::timestamptz, replaced_by = :sessionId
     FROM u WHERE s.tnt_inst_id = :tenantId AND s.live_user_id = u.user_id
       -- the user row is locked before any session row, whatever plan the join gets
       AND (SELECT count(*) FROM u) >= 0
     RETURNING s.session_id
   ), started AS (
     INSERT INTO de_session (tnt_inst_id, session_id, user_id, live_user_id, channel, device, ip_address, token_hash,
                             token_expires_at, gmt_create, last_seen_at, idle_expires_at, absolute_expires_at)
     SELECT :tenantId, :sessionId, u.user_id, u.user_id, :channel, :device, :ipAddress::text, :tokenHash::text, :tokenExpiresAt::timestamptz,
            :now::timestamptz, :now::timestamptz, :idleExpiresAt::timestamptz, :absoluteExpiresAt::timestamptz
     FROM u WHERE (SELECT count(*) FROM ended) >= 0
     RETURNING session_id
   ), refresh AS (
     INSERT INTO de_refresh_token (tnt_inst_id, token_hash, session_id, expires_at)
     SELECT :tenantId, :refreshTokenHash::text, session_id, :refreshExpiresAt::timestamptz FROM started WHERE :refreshTokenHash::text IS NOT NULL
     RETURNING 1
   ), attempt AS (
     INSERT INTO de_login_attempt (tnt_inst_id, user_id, session_id, channel, outcome, device, ip_address)
     SELECT :tenantId, s.user_id, s.session_id, :channel, CASE WHEN s.session_id IS NULL THEN 'UNKNOWN_USER' ELSE 'SUCCESS' END, :device, :ipAddress::text
     FROM (SELECT 1) AS one LEFT JOIN (SELECT session_id, :userId::text AS user_id FROM started) s ON true
     WHERE :recordAttempt::boolean
     RETURNING 1
   )
   SELECT EXISTS (SELECT 1 FROM started) AS started, (SELECT count(*) FROM ended)::int AS replaced`,
)
