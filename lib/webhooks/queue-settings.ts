import type { Queue } from 'pg-boss'
import type { Config } from '@/lib/config'

/** The queue every outbox event's delivery job goes to (one job per event). */
export const DELIVERY_QUEUE = 'webhook-delivery'

/** The relay hands at most this many outbox rows to the queue in one transaction. */
export const RELAY_BATCH = 200

/** How long pg-boss keeps a job that waits to be fetched (its default: two weeks). */
export const QUEUED_JOB_RETENTION_SECONDS = 14 * 86_400

const seconds = (ms: number) => Math.max(1, Math.round(ms / 1000))

/**
 * How long an attempt may hold its job before pg-boss takes it back: the attempt's
 * timeout plus the recording of its outcome (two bounded queries). A process that
 * dies mid-attempt leaves its job active; past this it is retried (at least once).
 */
export function attemptLeaseSeconds(c: Pick<Config, 'WEBHOOK_TIMEOUT_MS' | 'DB_TIMEOUT_MS'>): number {
  return Math.ceil((c.WEBHOOK_TIMEOUT_MS + 2 * c.DB_TIMEOUT_MS) / 1000) + 1
}

/**
 * The delivery queue's pg-boss settings, from the WEBHOOK_* configuration
 * (docs/merchants.md#notifications).
 *
 * - `key_strict_fifo` with the agreement as the key: an agreement's next event is not
 *   fetched while an earlier one is active or waiting for its retry, so a receiver
 *   sees each agreement's events in order; other agreements go on meanwhile.
 * - Retries: pg-boss's exponential backoff from WEBHOOK_RETRY_BASE_MS, doubling, capped
 *   at WEBHOOK_RETRY_MAX_MS (pg-boss counts whole seconds, at least 1), each delay
 *   taken between half and all of its value at random. The give-up is ours, by time:
 *   the attempt after WEBHOOK_RETRY_WINDOW_SECONDS marks the event FAILED and ends
 *   the job normally, so the agreement's later events are not held behind it for
 *   ever. The retry limit is set high enough never to end the retries first: even
 *   at the shortest delay (half the base) that many retries outlast the window.
 * - A job waiting longer than QUEUED_JOB_RETENTION_SECONDS (behind a long run of
 *   failing events of its agreement) is dropped by pg-boss; the relay hands its
 *   still PENDING outbox row to the queue again a day after that.
 */
export function deliveryQueueOptions(c: Config): Omit<Queue, 'name'> {
  const retryDelay = seconds(c.WEBHOOK_RETRY_BASE_MS)
  return {
    policy: 'key_strict_fifo',
    retryBackoff: true,
    retryDelay,
    retryDelayMax: Math.max(retryDelay, seconds(c.WEBHOOK_RETRY_MAX_MS)),
    retryLimit: Math.ceil((2 * c.WEBHOOK_RETRY_WINDOW_SECONDS) / retryDelay) + 1,
    expireInSeconds: attemptLeaseSeconds(c),
    retentionSeconds: QUEUED_JOB_RETENTION_SECONDS,
    // finished jobs are kept a week, for an operator's questions; the outbox and its attempts stay
    deleteAfterSeconds: 7 * 86_400,
  }
}
