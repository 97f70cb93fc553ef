import type { Logger } from 'pino'
import { config } from '@/lib/config'
import { deliverDueEvents } from '@/lib/webhooks/deliver-outbox'

/** How long stopping waits for the round in flight (the server's shutdown allows 10 s in all). */
const STOP_WAIT_MS = 3_000

/**
 * Delivers the outbox until stopped: a round, then another at once while rounds
 * find work, else after WEBHOOK_POLL_MS. A failing round (the database away) is
 * logged and tried again after the same pause. `stop()` lets the round in flight
 * finish, so that its attempts are recorded before the database closes, for up to 3 s.
 */
export function startDelivery(logger: Logger): { stop: () => Promise<void> } {
  let running = true
  let wake: (() => void) | undefined
  const pause = () =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, config().WEBHOOK_POLL_MS)
      wake = () => {
        clearTimeout(timer)
        resolve()
      }
    })
  const loop = (async () => {
    while (running) {
      try {
        const round = await deliverDueEvents()
        if (round.claimed > 0) {
          logger.info({ ...round }, 'webhook round')
          continue
        }
      } catch (error) {
        logger.warn({ err: error }, 'webhook round failed; trying again')
      }
      if (running) await pause()
    }
  })()
  return {
    stop: async () => {
      running = false
      wake?.()
      // a round waiting on a slow endpoint is not waited for past this: its events' leases run
      // out and they go again, so shutting down stays within its own time limit
      let timer: NodeJS.Timeout | undefined
      await Promise.race([loop, new Promise<void>((resolve) => (timer = setTimeout(resolve, STOP_WAIT_MS)))])
      clearTimeout(timer)
    },
  }
}
