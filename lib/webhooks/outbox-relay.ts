import { randomBytes } from 'node:crypto'
import { fromPrisma, type PgBoss } from 'pg-boss'
import { prisma } from '@/lib/db'
import { countOn, rowsOn } from '@/lib/db/on-prisma'
import { markOutboxQueued, takeRelayLock, waitingOutbox, type WaitingRow } from '@/lib/db/statements/outbox-relay'
import { config } from '@/lib/config'
import { DELIVERY_QUEUE, QUEUED_JOB_RETENTION_SECONDS, RELAY_BATCH } from '@/lib/webhooks/queue-settings'

/** What a delivery job carries: the outbox row to send (bigint ids travel as strings in JSON). */
export type DeliveryJob = { tenantId: string; outboxId: string }

type Waiting = WaitingRow

/**
 * The job's id: the outbox id in its first eight bytes, random bytes after. pg-boss
 * orders an agreement's jobs by creation time and then by id, and the jobs of one
 * relay round share their creation time: ids that sort as the outbox does keep
 * the agreement's events in the order they happened.
 */
export function deliveryJobId(outboxId: bigint): string {
  const bytes = Buffer.alloc(16)
  bytes.writeBigUInt64BE(outboxId, 0)
  randomBytes(8).copy(bytes, 8)
  const hex = bytes.toString('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

/** The key pg-boss keeps each agreement's jobs in order by (and the merchant it goes to). */
export const agreementKey = (tenantId: string, row: Omit<Waiting, 'outboxId'>) =>
  JSON.stringify([tenantId, row.merchantId, row.userId, row.productCode, row.arrangementNo])

/**
 * Hands waiting outbox rows to the job queue, oldest first: each becomes a pg-boss
 * job, inserted in the same transaction that marks the row queued, so a row is
 * queued once, and a crash between the two leaves it to the next round
 * (docs/merchants.md#notifications). A row still PENDING long after its job would
 * have been dropped by pg-boss (it waited two weeks behind failing events) is
 * queued again. Resolves with how many rows it queued; 0 also when another process
 * is relaying at that moment.
 */
export async function relayOutbox(boss: PgBoss): Promise<number> {
  const tenantId = config().FC_TENANT_ID
  return prisma.$transaction(async (tx) => {
    // one relay at a time across every process (lib/db/statements/outbox-relay.ts)
    const [{ locked }] = await takeRelayLock.run(rowsOn(tx), {})
    if (!locked) return 0
    const waiting = await waitingOutbox.run(rowsOn(tx), { tenantId, requeueAfterSeconds: QUEUED_JOB_RETENTION_SECONDS + 86_400, batch: RELAY_BATCH })
    if (waiting.length === 0) return 0
    const jobs = waiting.map((row) => ({
      id: deliveryJobId(row.outboxId),
      singletonKey: agreementKey(tenantId, row),
      data: { tenantId, outboxId: String(row.outboxId) } satisfies DeliveryJob,
    }))
    await boss.insert(DELIVERY_QUEUE, jobs, { db: fromPrisma(tx) })
    await markOutboxQueued.count(countOn(tx), { tenantId, outboxIds: waiting.map((w) => w.outboxId), jobIds: jobs.map((j) => j.id) })
    return waiting.length
  })
}
