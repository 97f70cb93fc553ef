import { statement } from '@/lib/db/statement'

/** One key's record, when it is older than the replay window (by the database's clock, as pruning is). */
export const removeExpiredIdempotencyRecord = statement<{ tenantId: string; userId: string; key: string; ttlHours: number }>(
  'remove-expired-idempotency-record',
  `DELETE FROM de_idempotency
   WHERE tnt_inst_id = :tenantId AND user_id = :userId AND idem_key = :key
     AND gmt_create < now() - make_interval(hours => :ttlHours)`,
)
