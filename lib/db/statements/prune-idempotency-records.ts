import { statement } from '@/lib/db/statement'

/** Idempotency-Key records past their replay window (`ttlHours`), oldest first, at most `limit`. */
export const pruneIdempotencyRecords = statement<{ ttlHours: number; limit: number }>(
  'prune-idempotency-records',
  `DELETE FROM de_idempotency WHERE ctid IN (
     SELECT ctid FROM de_idempotency
     WHERE gmt_create < now() - make_interval(hours => :ttlHours)
     ORDER BY gmt_create LIMIT :limit
     FOR UPDATE SKIP LOCKED)`,
)
