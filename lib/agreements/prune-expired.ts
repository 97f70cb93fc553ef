import { prisma } from '@/lib/db'
import { countOn } from '@/lib/db/on-prisma'
import { pruneIdempotencyRecords as pruneIdempotency } from '@/lib/db/statements/prune-idempotency-records'
import { pruneThrottleCounters as pruneCounters } from '@/lib/db/statements/prune-throttle-counters'
import { CLEAN_UP_BATCHING, inBatches, type Batching } from '@/lib/db/in-batches'
import { IDEMPOTENCY_TTL_HOURS } from '@/lib/agreements/idempotency'

/**
 * Removes Idempotency-Key records past their 24-hour replay window, oldest first,
 * a batch a statement (lib/db/in-batches.ts). SKIP LOCKED lets instances prune at
 * the same time without waiting on each other. Resolves with the rows removed.
 */
export function pruneIdempotencyRecords(batching: Batching = CLEAN_UP_BATCHING): Promise<number> {
  return inBatches(
    (limit) => pruneIdempotency.count(countOn(prisma), { ttlHours: IDEMPOTENCY_TTL_HOURS, limit }),
    batching,
  )
}

/**
 * Throttling counters whose window ended over an hour ago: the next attempt would
 * start them afresh anyway (lib/auth/throttle.ts). Removed like the records above.
 */
export function pruneThrottleCounters(batching: Batching = CLEAN_UP_BATCHING): Promise<number> {
  return inBatches(
    (limit) => pruneCounters.count(countOn(prisma), { limit }),
    batching,
  )
}
