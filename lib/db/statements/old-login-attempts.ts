import { statement } from '@/lib/db/statement'
import type { RetentionParameters } from '@/lib/db/statements/session-past-retention'

/** Login attempts recorded before the cutoff, oldest first. */
export const deleteOldLoginAttempts = statement<RetentionParameters>(
  'delete-old-login-attempts',
  `DELETE FROM de_login_attempt WHERE ctid IN (
     SELECT ctid FROM de_login_attempt
     WHERE tnt_inst_id = :tenantId AND gmt_create < :cutoff
     ORDER BY gmt_create LIMIT :limit FOR UPDATE SKIP LOCKED)`,
)
