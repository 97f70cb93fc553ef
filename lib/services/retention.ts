import { prisma } from '@/lib/db'
import { config } from '@/lib/config'
import { CLEAN_UP_BATCHING, inBatches, type Batching } from '@/lib/db/in-batches'
import { runAlone } from '@/lib/db/run-alone'
import { deleteSessionsPastRetention, sessionPastRetentionSql } from '@/lib/auth/sessions'
import { pruneIdempotencyRecords, pruneThrottleCounters } from '@/lib/services/prune-expired'

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

/** Refresh tokens of sessions past retention: they go before their session, so none is left without one. */
const deleteTokensOfOldSessions = (cutoff: Date, limit: number) => prisma.$executeRaw`
  DELETE FROM de_refresh_token WHERE ctid IN (
    SELECT r.ctid FROM de_refresh_token r
    JOIN de_session s ON s.tnt_inst_id = r.tnt_inst_id AND s.session_id = r.session_id
    WHERE s.tnt_inst_id = ${config().FC_TENANT_ID} AND ${sessionPastRetentionSql(cutoff)}
    LIMIT ${limit} FOR UPDATE OF r SKIP LOCKED)`

/**
 * Refresh tokens that expired before the cutoff, whatever their session: no use
 * is left in them. A spent token is kept until then, since it is what recognises
 * a copied token coming back (lib/auth/refresh-session.ts).
 */
const deleteLongExpiredTokens = (cutoff: Date, limit: number) => prisma.$executeRaw`
  DELETE FROM de_refresh_token WHERE ctid IN (
    SELECT ctid FROM de_refresh_token
    WHERE tnt_inst_id = ${config().FC_TENANT_ID} AND expires_at < ${cutoff}
    LIMIT ${limit} FOR UPDATE SKIP LOCKED)`

const deleteOldLoginAttempts = (cutoff: Date, limit: number) => prisma.$executeRaw`
  DELETE FROM de_login_attempt WHERE ctid IN (
    SELECT ctid FROM de_login_attempt
    WHERE tnt_inst_id = ${config().FC_TENANT_ID} AND gmt_create < ${cutoff}
    ORDER BY gmt_create LIMIT ${limit} FOR UPDATE SKIP LOCKED)`

/**
 * Delivery attempts of notifications delivered before the cutoff: they go before
 * their outbox row, so none is left without one.
 */
const deleteAttemptsOfOldDeliveries = (cutoff: Date, limit: number) => prisma.$executeRaw`
  DELETE FROM de_webhook_attempt WHERE ctid IN (
    SELECT a.ctid FROM de_webhook_attempt a
    JOIN de_webhook_outbox o ON o.tnt_inst_id = a.tnt_inst_id AND o.outbox_id = a.outbox_id
    WHERE o.tnt_inst_id = ${config().FC_TENANT_ID} AND o.status = 'DELIVERED' AND o.delivered_at < ${cutoff}
    LIMIT ${limit} FOR UPDATE OF a SKIP LOCKED)`

/**
 * Outbox rows delivered before the cutoff: their work is done, and the event they
 * carried stays in de_user_ar_event. Rows still PENDING or FAILED are kept, whatever
 * their age: they are what is owed to a merchant (docs/merchants.md#notifications).
 */
const deleteOldDeliveries = (cutoff: Date, limit: number) => prisma.$executeRaw`
  DELETE FROM de_webhook_outbox WHERE ctid IN (
    SELECT ctid FROM de_webhook_outbox
    WHERE tnt_inst_id = ${config().FC_TENANT_ID} AND status = 'DELIVERED' AND delivered_at < ${cutoff}
    LIMIT ${limit} FOR UPDATE SKIP LOCKED)`

/**
 * Sign requests that ended before the cutoff: what they led to stays (the
 * agreement, its history). One whose outcome is still owed to its merchant (an
 * outbox row not yet delivered) is kept until it is delivered.
 */
const deleteFinishedSignRequests = (cutoff: Date, limit: number) => prisma.$executeRaw`
  DELETE FROM de_sign_request WHERE ctid IN (
    SELECT s.ctid FROM de_sign_request s
    WHERE s.tnt_inst_id = ${config().FC_TENANT_ID} AND s.status <> 'PENDING' AND s.finished_at < ${cutoff}
      AND NOT EXISTS (
        SELECT 1 FROM de_webhook_outbox o
        WHERE o.tnt_inst_id = s.tnt_inst_id AND o.sign_request_id = s.sign_request_id AND o.status <> 'DELIVERED')
    LIMIT ${limit} FOR UPDATE OF s SKIP LOCKED)`

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
