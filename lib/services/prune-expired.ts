import { prisma } from '@/lib/db'
import { IDEMPOTENCY_TTL_HOURS } from '@/lib/services/idempotency'

const BATCH_SIZE = 1000
const MAX_BATCHES = 100

/**
 * Removes Idempotency-Key records past their 24-hour replay window, oldest first,
 * in batches of 1,000 so that no statement holds many row locks for long; at most
 * 100 batches a run, the rest wait for the next. SKIP LOCKED lets instances prune
 * at the same time without waiting on each other. Resolves with the rows removed.
 */
export async function pruneIdempotencyRecords(): Promise<number> {
  let removed = 0
  for (let batch = 0; batch < MAX_BATCHES; batch++) {
    const count = await prisma.$executeRaw`
      DELETE FROM de_idempotency WHERE ctid IN (
        SELECT ctid FROM de_idempotency
        WHERE gmt_create < now() - make_interval(hours => ${IDEMPOTENCY_TTL_HOURS})
        ORDER BY gmt_create LIMIT ${BATCH_SIZE}
        FOR UPDATE SKIP LOCKED)`
    removed += count
    if (count < BATCH_SIZE) break
  }
  return removed
}

/**
 * Throttling counters whose window ended over an hour ago: the next attempt would
 * start them afresh anyway (lib/auth/throttle.ts). Bounded like the records above.
 */
export async function pruneThrottleCounters(): Promise<number> {
  let removed = 0
  for (let batch = 0; batch < MAX_BATCHES; batch++) {
    const count = await prisma.$executeRaw`
      DELETE FROM de_rate_limit WHERE ctid IN (
        SELECT ctid FROM de_rate_limit WHERE window_ends_at < now() - interval '1 hour'
        LIMIT ${BATCH_SIZE} FOR UPDATE SKIP LOCKED)`
    removed += count
    if (count < BATCH_SIZE) break
  }
  return removed
}
