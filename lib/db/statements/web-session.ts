import { statement } from '@/lib/db/statement'
import type { Session } from '@/lib/generated/prisma/client'
import { SESSION_COLUMNS } from '@/lib/db/statements/session-by-token'

export type WebSessionRow = Session & { userName: string | null; loginKey: string | null }

/**
 * A browser's session by its id, with what every page shows beside it (the user's name
 * and login key): one round trip, where the session check on every page and action
 * used to take two.
 */
export const webSession = statement<{ tenantId: string; sessionId: string }, WebSessionRow>(
  'web-session',
  `SELECT ${SESSION_COLUMNS},
     (SELECT u.user_name FROM de_user u WHERE u.tnt_inst_id = s.tnt_inst_id AND u.user_id = s.user_id) AS "userName",
     (SELECT c.login_key FROM de_user_credential c WHERE c.tnt_inst_id = s.tnt_inst_id AND c.user_id = s.user_id LIMIT 1) AS "loginKey"
   FROM de_session s WHERE s.tnt_inst_id = :tenantId AND s.session_id = :sessionId`,
)
