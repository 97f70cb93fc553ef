import { prisma } from '@/lib/db'
import { config } from '@/lib/config'
import { inBatches } from '@/lib/db/in-batches'
import { countOn } from '@/lib/db/on-prisma'
import { expireSignRequests as expireStatement } from '@/lib/db/statements/sign-request-changes'

/**
 * Ends every PENDING sign request past its expiry as EXPIRED, a batch a statement;
 * each gets its sign_request.expired outbox row from the same statement (the
 * trigger). Any number of instances may run it at once: a row is moved from
 * PENDING once, by whichever statement locks it first, and SKIP LOCKED keeps
 * them from queueing behind each other or behind a confirm in progress.
 */
export async function expireSignRequests(): Promise<number> {
  return inBatches(
    (limit) => expireStatement.count(countOn(prisma), { tenantId: config().FC_TENANT_ID, limit }),
  )
}

/** How often the sweep runs: a request is seen as expired by its merchant within this much of its expiry, even if nobody looks. */
export const EXPIRY_SWEEP_MS = 30_000

type Log = { info: (o: object, m: string) => void; warn: (o: object, m: string) => void }

/**
 * Runs the expiry sweep every 30 s in the background of the server's process (the
 * timer never keeps the process alive); a failure is logged and the next run
 * tries again. Returns the function that stops it, for shutdown.
 */
export function scheduleSignRequestExpiry(log: Log): () => void {
  const sweep = async () => {
    try {
      const expired = await expireSignRequests()
      if (expired > 0) log.info({ event: 'sign-request-expiry', expired }, 'sign requests expired')
    } catch (error) {
      log.warn({ err: error }, 'sign request expiry failed; the next run tries again')
    }
  }
  const timer = setInterval(sweep, EXPIRY_SWEEP_MS)
  timer.unref()
  return () => clearInterval(timer)
}
