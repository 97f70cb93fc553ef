import type { Logger } from 'pino'

/** While a failure repeats, it is logged again at most this often. */
const REPEAT_EVERY_MS = 60_000

/**
 * Logs a background task's failures without a line every round while the cause
 * lasts (a database away for an hour would otherwise fill the log at one line a
 * second): the first failure at `warn`, then one line a minute with how many
 * failed since, and one `info` line when the task succeeds again.
 */
export function failureStreak(logger: Logger, task: string, now: () => number = Date.now) {
  let failures = 0
  let loggedAt = 0
  return {
    failed(error: unknown, message: string) {
      failures++
      if (failures > 1 && now() - loggedAt < REPEAT_EVERY_MS) return
      loggedAt = now()
      logger.warn({ err: error, task, failures }, message)
    },
    succeeded() {
      if (failures > 0) logger.info({ task, failures }, `${task} works again`)
      failures = 0
    },
  }
}
