import type { PgBoss } from 'pg-boss'
import type { Logger } from 'pino'
import { config } from '@/lib/config'
import { failureStreak } from '@/lib/observability/failure-streak'
import { deliverOutboxEvent } from '@/lib/webhooks/deliver-outbox'
import { startJobQueue } from '@/lib/webhooks/job-queue'
import { relayOutbox, type DeliveryJob } from '@/lib/webhooks/outbox-relay'
import { DELIVERY_QUEUE, RELAY_BATCH } from '@/lib/webhooks/queue-settings'

/** How long stopping waits for the attempts in flight (the server's shutdown allows 10 s in all). */
const STOP_WAIT_MS = 3_000
/** Attempts one process makes at once (each to a different agreement: the queue keeps one per agreement). */
const CONCURRENT_ATTEMPTS = 4

/**
 * Delivers the merchants' webhooks (docs/merchants.md#notifications): starts pg-boss
 * on the app's database, relays the outbox to it every WEBHOOK_POLL_MS (at once
 * again while rounds come back full), and works the delivery queue. When the
 * database is away at start, starting is tried again after the same pause. `stop()`
 * lets the attempts in flight finish, so that they are recorded before the
 * database closes, for up to 3 s; one still waiting on a slow endpoint past that is
 * taken back by pg-boss when its lease runs out and sent again. `started` resolves
 * once pg-boss works the queue.
 */
export function startDelivery(logger: Logger): { started: Promise<void>; stop: () => Promise<void> } {
  let running = true
  let markStarted = () => {}
  const started = new Promise<void>((resolve) => (markStarted = resolve))
  let boss: PgBoss | undefined
  let wake: (() => void) | undefined
  const pause = () =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, config().WEBHOOK_POLL_MS)
      wake = () => {
        clearTimeout(timer)
        resolve()
      }
    })

  const work = (queue: PgBoss) =>
    queue.work<DeliveryJob>(
      DELIVERY_QUEUE,
      { localConcurrency: CONCURRENT_ATTEMPTS, pollingIntervalSeconds: Math.max(0.5, config().WEBHOOK_POLL_MS / 1000) },
      async ([job]) => {
        const { outcome, error } = await deliverOutboxEvent(job.data)
        if (outcome !== 'skipped') logger.info({ outboxId: job.data.outboxId, outcome, ...(error ? { error } : {}) }, 'webhook attempt')
        // a failed job is what makes pg-boss schedule the retry, with its backoff
        if (outcome === 'retry') throw new Error(error ?? 'not delivered')
        return { outcome }
      },
    )

  const starting = failureStreak(logger, 'webhook delivery start')
  const relaying = failureStreak(logger, 'outbox relay')
  const loop = (async () => {
    while (running && !boss) {
      let queue: PgBoss | undefined
      try {
        queue = await startJobQueue(logger)
        if (running) await work(queue)
        if (!running) {
          await queue.stop({ graceful: false, close: true })
          return
        }
        boss = queue
        starting.succeeded()
        markStarted()
        logger.info({ queue: DELIVERY_QUEUE }, 'webhook delivery started')
      } catch (error) {
        starting.failed(error, 'webhook delivery could not start; trying again')
        await queue?.stop({ graceful: false, close: true }).catch(() => {})
        await pause()
      }
    }
    while (running && boss) {
      try {
        const relayed = await relayOutbox(boss)
        relaying.succeeded()
        if (relayed > 0) logger.info({ relayed }, 'outbox relayed to the delivery queue')
        if (relayed === RELAY_BATCH) continue
      } catch (error) {
        relaying.failed(error, 'outbox relay failed; trying again')
      }
      if (running) await pause()
    }
  })()

  return {
    started,
    stop: async () => {
      running = false
      wake?.()
      let timer: NodeJS.Timeout | undefined
      const waited = new Promise<void>((resolve) => (timer = setTimeout(resolve, STOP_WAIT_MS)))
      await Promise.race([loop, waited])
      await Promise.race([boss?.stop({ graceful: true, timeout: STOP_WAIT_MS, close: true }), waited])
      clearTimeout(timer)
    },
  }
}
