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

const PRUNE_EVERY_MS = 60 * 60 * 1000

/**
 * Prunes once at start and then every hour, in the background of the server's
 * process (the timer never keeps the process alive). Failures are logged and the
 * next run tries again. Returns the function that stops it, for shutdown.
 */
export function schedulePruning(log: { info: (o: object, m: string) => void; warn: (o: object, m: string) => void }): () => void {
  const prune = async () => {
    try {
      const removed = { idempotencyRecords: await pruneIdempotencyRecords(), throttleCounters: await pruneThrottleCounters() }
      if (removed.idempotencyRecords + removed.throttleCounters > 0) log.info(removed, 'pruned expired rows')
    } catch (error) {
      log.warn({ err: error }, 'pruning expired rows failed; the next run tries again')
    }
  }
  void prune()
  const timer = setInterval(prune, PRUNE_EVERY_MS)
  timer.unref()
  return () => clearInterval(timer)
}
