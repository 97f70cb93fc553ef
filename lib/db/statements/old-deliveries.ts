import { statement } from '@/lib/db/statement'
import type { RetentionParameters } from '@/lib/db/statements/session-past-retention'

/**
 * Outbox rows delivered before the cutoff: their work is done, and the event they
 * carried stays in de_user_ar_event. Rows still PENDING or FAILED are kept, whatever
 * their age: they are what is owed to a merchant (docs/merchants.md#notifications).
 */
export const deleteOldDeliveries = statement<RetentionParameters>(
  'delete-old-deliveries',
  `DELETE FROM de_webhook_outbox WHERE ctid IN (
     SELECT ctid FROM de_webhook_outbox
     WHERE tnt_inst_id = :tenantId AND status = 'DELIVERED' AND delivered_at < :cutoff
     LIMIT :limit FOR UPDATE SKIP LOCKED)`,
)
