import { statement } from '@/lib/db/statement'
import type { RetentionParameters } from '@/lib/db/statements/session-past-retention'

/**
 * Sign requests that ended before the cutoff: what they led to stays (the
 * agreement, its history). One whose outcome is still owed to its merchant (an
 * outbox row not yet delivered) is kept until it is delivered.
 */
export const deleteFinishedSignRequests = statement<RetentionParameters>(
  'delete-finished-sign-requests',
  `DELETE FROM de_sign_request WHERE ctid IN (
     SELECT s.ctid FROM de_sign_request s
     WHERE s.tnt_inst_id = :tenantId AND s.status <> 'PENDING' AND s.finished_at < :cutoff
       AND NOT EXISTS (
         SELECT 1 FROM de_webhook_outbox o
         WHERE o.tnt_inst_id = s.tnt_inst_id AND o.sign_request_id = s.sign_request_id AND o.status <> 'DELIVERED')
     LIMIT :limit FOR UPDATE OF s SKIP LOCKED)`,
)
