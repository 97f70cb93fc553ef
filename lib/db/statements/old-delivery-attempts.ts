import { statement } from '@/lib/db/statement'
import type { RetentionParameters } from '@/lib/db/statements/session-past-retention'

/**
 * Delivery attempts of notifications delivered before the cutoff: they go before
 * their outbox row, so none is left without one.
 */
export const deleteAttemptsOfOldDeliveries = statement<RetentionParameters>(
  'delete-attempts-of-old-deliveries',
  `DELETE FROM de_webhook_attempt WHERE ctid IN (
     SELECT a.ctid FROM de_webhook_attempt a
     JOIN de_webhook_outbox o ON o.tnt_inst_id = a.tnt_inst_id AND o.outbox_id = a.outbox_id
     WHERE o.tnt_inst_id = :tenantId AND o.status = 'DELIVERED' AND o.delivered_at < :cutoff
     LIMIT :limit FOR UPDATE OF a SKIP LOCKED)`,
)
