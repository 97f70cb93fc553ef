import { prisma } from '@/lib/db'
import { CLEAN_UP_BATCHING, inBatches, type Batching } from '@/lib/db/in-batches'
import { IDEMPOTENCY_TTL_HOURS } from '@/lib/services/idempotency'

/**
 * Removes Idempotency-Key records past their 24-hour replay window, oldest first,
 * a batch a statement (lib/db/in-batches.ts). SKIP LOCKED lets instances prune at
 * the same time without waiting on each other. Resolves with the rows removed.
 */
export function pruneIdempotencyRecords(batching: Batching = CLEAN_UP_BATCHING): Promise<number> {
  return inBatches(
    (limit) => prisma.$executeRaw`
      DELETE FROM de_idempotency WHERE ctid IN (
        SELECT ctid FROM de_idempotency
        WHERE gmt_create < now() - make_interval(hours => ${IDEMPOTENCY_TTL_HOURS})
        ORDER BY gmt_create LIMIT ${limit}
        FOR UPDATE SKIP LOCKED)`,
    batching,
  )
}

/**
 * Throttling counters whose window ended over an hour ago: the next attempt would
 * start them afresh anyway (lib/auth/throttle.ts). Removed like the records above.
 */
export function pruneThrottleCounters(batching: Batching = CLEAN_UP_BATCHING): Promise<number> {
  return inBatches(
    (limit) => prisma.$executeRaw`
      DELETE FROM de_rate_limit WHERE ctid IN (
        SELECT ctid FROM de_rate_limit WHERE window_ends_at < now() - interval '1 hour'
        LIMIT ${limit} FOR UPDATE SKIP LOCKED)`,
    batching,
  )
}
