import { statement } from '@/lib/db/statement'
import type { Session } from '@/lib/generated/prisma/client'

/** Every column of de_session, named as the Session model names them. */
export const SESSION_COLUMNS = `
    tnt_inst_id AS "tenantId", session_id AS "id", user_id AS "userId", live_user_id AS "liveUserId",
    channel, device, ip_address AS "ipAddress", token_hash AS "tokenHash", token_expires_at AS "tokenExpiresAt",
    gmt_create AS "createdAt", last_seen_at AS "lastSeenAt", idle_expires_at AS "idleExpiresAt",
    absolute_expires_at AS "absoluteExpiresAt", status, end_reason AS "endReason", ended_at AS "endedAt",
    replaced_by AS "replacedBy"`

/** The session an access token belongs to, by the token's hash (unique); no row: none. */
export const sessionByToken = statement<{ tokenHash: string }, Session>(
  'session-by-token',
  `SELECT ${SESSION_COLUMNS} FROM de_session WHERE token_hash = :tokenHash`,
)
