import { statement } from '@/lib/db/statement'

/** Throttling counters whose window ended over an hour ago, at most `limit`. */
export const pruneThrottleCounters = statement<{ limit: number }>(
  'prune-throttle-counters',
  `DELETE FROM de_rate_limit WHERE ctid IN (
     SELECT ctid FROM de_rate_limit WHERE window_ends_at < now() - interval '1 hour'
     LIMIT :limit FOR UPDATE SKIP LOCKED)`,
)
