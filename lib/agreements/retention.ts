import { prisma } from '@/lib/db'
import { config } from '@/lib/config'
import { CLEAN_UP_BATCHING, inBatches, type Batching } from '@/lib/db/in-batches'
import { runAlone } from '@/lib/db/run-alone'
import { deleteSessionsPastRetention, retentionOfSessions } from '@/lib/auth/sessions'
import { countOn } from '@/lib/db/on-prisma'
import { deleteFinishedSignRequests as finishedSignRequests } from '@/lib/db/statements/finished-sign-requests'
import { deleteLongExpiredTokens as longExpiredTokens } from '@/lib/db/statements/long-expired-tokens'
import { deleteAttemptsOfOldDeliveries as attemptsOfOldDeliveries } from '@/lib/db/statements/old-delivery-attempts'
import { deleteOldDeliveries as oldDeliveries } from '@/lib/db/statements/old-deliveries'
import { deleteOldLoginAttempts as oldLoginAttempts } from '@/lib/db/statements/old-login-attempts'
import { deleteTokensOfOldSessions as tokensOfOldSessions } from '@/lib/db/statements/refresh-tokens-of-old-sessions'
import { pruneIdempotencyRecords, pruneThrottleCounters } from '@/lib/agreements/prune-expired'

export type Removed = {
  sessions: number
  refreshTokens: number
  loginAttempts: number
  throttleCounters: number
  idempotencyRecords: number
  /** merchants' notifications delivered before the cutoff (outbox rows), and their delivery attempts */
  deliveredNotifications: number
  deliveryAttempts: number
  /** sign requests that ended (signed, declined, expired, cancelled) before the cutoff */
  finishedSignRequests: number
}
export type RetentionRun = { skipped: true } | { skipped: false; removed: Removed; cutoff: Date; ms: number }

// each statement removes at most `limit` rows (lib/db/statements)
const onPrisma = () => countOn(prisma)
const tenantRows = (cutoff: Date, limit: number) => ({ tenantId: config().FC_TENANT_ID, cutoff, limit })
const deleteTokensOfOldSessions = (cutoff: Date, limit: number) => tokensOfOldSessions.count(onPrisma(), retentionOfSessions(cutoff, limit))
const deleteLongExpiredTokens = (cutoff: Date, limit: number) => longExpiredTokens.count(onPrisma(), tenantRows(cutoff, limit))
const deleteOldLoginAttempts = (cutoff: Date, limit: number) => oldLoginAttempts.count(onPrisma(), tenantRows(cutoff, limit))
const deleteAttemptsOfOldDeliveries = (cutoff: Date, limit: number) => attemptsOfOldDeliveries.count(onPrisma(), tenantRows(cutoff, limit))
const deleteOldDeliveries = (cutoff: Date, limit: number) => oldDeliveries.count(onPrisma(), tenantRows(cutoff, limit))
const deleteFinishedSignRequests = (cutoff: Date, limit: number) => finishedSignRequests.count(onPrisma(), tenantRows(cutoff, limit))

/**
 * One clean-up run, unless another instance is running one (then it skips):
 * sessions that stopped being live more than RETENTION_DAYS ago with their refresh
 * tokens, refresh tokens that expired that long ago, login attempts older than
 * that, merchants' notifications delivered that long ago with their attempts, sign
 * requests that ended that long ago, and
 * the expired throttle counters and Idempotency-Key records. The
 * deduction events (de_user_ar_event) are history and are never deleted; they
 * name their session by value, with no foreign key, so they outlive its row.
 * A backlog is worked through in the one run, a batch a statement.
 */
export async function runRetention(options: Partial<Batching> = {}): Promise<RetentionRun> {
  const batching: Batching = { batchSize: options.batchSize ?? CLEAN_UP_BATCHING.batchSize, pauseMs: options.pauseMs ?? CLEAN_UP_BATCHING.pauseMs }
  const started = performance.now()
  const cutoff = new Date(Date.now() - config().RETENTION_DAYS * 24 * 3600 * 1000)
  const run = await runAlone(`fcdeduction:retention:${config().FC_TENANT_ID}`, async (): Promise<Removed> => {
    const tokensOfOldSessions = await inBatches((n) => deleteTokensOfOldSessions(cutoff, n), batching)
    const sessions = await inBatches((n) => deleteSessionsPastRetention(cutoff, n), batching)
    const expiredTokens = await inBatches((n) => deleteLongExpiredTokens(cutoff, n), batching)
    return {
      sessions,
      refreshTokens: tokensOfOldSessions + expiredTokens,
      loginAttempts: await inBatches((n) => deleteOldLoginAttempts(cutoff, n), batching),
      throttleCounters: await pruneThrottleCounters(batching),
      idempotencyRecords: await pruneIdempotencyRecords(batching),
      deliveryAttempts: await inBatches((n) => deleteAttemptsOfOldDeliveries(cutoff, n), batching),
      deliveredNotifications: await inBatches((n) => deleteOldDeliveries(cutoff, n), batching),
      finishedSignRequests: await inBatches((n) => deleteFinishedSignRequests(cutoff, n), batching),
    }
  })
  if (!run.ran) return { skipped: true }
  return { skipped: false, removed: run.value, cutoff, ms: Math.round(performance.now() - started) }
}

const RUN_EVERY_MS = 60 * 60 * 1000

type Log = { info: (o: object, m: string) => void; warn: (o: object, m: string) => void }

/**
 * Runs the clean-up once at start and then every hour, in the background of the
 * server's process (the timer never keeps the process alive), one line logged a
 * run. Failures are logged and the next run tries again. Returns the function
 * that stops it, for shutdown.
 */
export function schedulePruning(log: Log): () => void {
  const prune = async () => {
    try {
      const run = await runRetention()
      if (run.skipped) log.info({ event: 'retention' }, 'retention run skipped: another instance is running one')
      else log.info({ event: 'retention', removed: run.removed, ms: run.ms }, 'retention run')
    } catch (error) {
      log.warn({ err: error }, 'retention run failed; the next run tries again')
    }
  }
  void prune()
  const timer = setInterval(prune, RUN_EVERY_MS)
  timer.unref()
  return () => clearInterval(timer)
}
