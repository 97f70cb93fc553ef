// The SQL of the session check every API call makes, as parameterised text: the app
// runs it (lib/auth/authenticate-token.ts, lib/auth/sessions.ts) and so does the
// benchmark's floor, so the two cannot drift.

/** Every column of de_session, named as the Session model names them. */
const SESSION_COLUMNS = `
    tnt_inst_id AS "tenantId", session_id AS "id", user_id AS "userId", live_user_id AS "liveUserId",
    channel, device, ip_address AS "ipAddress", token_hash AS "tokenHash", token_expires_at AS "tokenExpiresAt",
    gmt_create AS "createdAt", last_seen_at AS "lastSeenAt", idle_expires_at AS "idleExpiresAt",
    absolute_expires_at AS "absoluteExpiresAt", status, end_reason AS "endReason", ended_at AS "endedAt",
    replaced_by AS "replacedBy"`

/** The session an access token belongs to, by the token's hash (unique). $1 token hash */
export const SESSION_BY_TOKEN = `SELECT ${SESSION_COLUMNS} FROM de_session WHERE token_hash = $1`

/**
 * Slides a live session's idle window (at most once a minute, lib/auth/sessions.ts).
 * $1 tenant, $2 session id, $3 the new idle expiry, $4 now
 */
export const TOUCH_SESSION = `
  UPDATE de_session SET last_seen_at = $4::timestamptz, idle_expires_at = $3::timestamptz
  WHERE tnt_inst_id = $1 AND session_id = $2 AND live_user_id IS NOT NULL`
