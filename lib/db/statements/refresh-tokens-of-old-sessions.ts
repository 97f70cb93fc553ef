import { statement } from '@/lib/db/statement'
import { SESSION_PAST_RETENTION, type SessionRetentionParameters } from '@/lib/db/statements/session-past-retention'

/** Refresh tokens of sessions past retention: they go before their session, so none is left without one. */
export const deleteTokensOfOldSessions = statement<SessionRetentionParameters>(
  'delete-tokens-of-old-sessions',
  `DELETE FROM de_refresh_token WHERE ctid IN (
     SELECT r.ctid FROM de_refresh_token r
     JOIN de_session s ON s.tnt_inst_id = r.tnt_inst_id AND s.session_id = r.session_id
     WHERE s.tnt_inst_id = :tenantId AND ${SESSION_PAST_RETENTION}
     LIMIT :limit FOR UPDATE OF r SKIP LOCKED)`,
)
