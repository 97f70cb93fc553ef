import { statement } from '@/lib/db/statement'
import type { RetentionParameters } from '@/lib/db/statements/session-past-retention'

/**
 * Refresh tokens that expired before the cutoff, whatever their session: no use
 * is left in them. A spent token is kept until then, since it is what recognises
 * a copied token coming back (lib/auth/refresh-session.ts).
 */
export const deleteLongExpiredTokens = statement<RetentionParameters>(
  'delete-long-expired-tokens',
  `DELETE FROM de_refresh_token WHERE ctid IN (
     SELECT ctid FROM de_refresh_token
     WHERE tnt_inst_id = :tenantId AND expires_at < :cutoff
     LIMIT :limit FOR UPDATE SKIP LOCKED)`,
)
