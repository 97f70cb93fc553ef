import { randomBytes } from 'node:crypto'
import { fromPrisma, type PgBoss } from 'pg-boss'
import { Prisma } from '@/lib/generated/prisma/client'
import { prisma } from '@/lib/db'
import { config } from '@/lib/config'
import { DELIVERY_QUEUE, QUEUED_JOB_RETENTION_SECONDS, RELAY_BATCH } from '@/lib/webhooks/queue-settings'

/** What a delivery job carries: the outbox row to send (bigint ids travel as strings in JSON). */
export type DeliveryJob = { tenantId: string; outboxId: string }

type Waiting = { outboxId: bigint; merchantId: string; userId: string; productCode: string; arrangementNo: string }

// one relay at a time across every process on the database: two relays taking rows of
// one agreement side by side could queue a later event before an earlier one
const RELAY_LOCK = Prisma.sql`hashtext('fcdeduction.webhook-relay')`

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
    const [{ locked }] = await tx.$queryRaw<{ locked: boolean }[]>(Prisma.sql`SELECT pg_try_advisory_xact_lock(${RELAY_LOCK}) AS locked`)
    if (!locked) return 0
    const waiting = await tx.$queryRaw<Waiting[]>(Prisma.sql`
      SELECT outbox_id AS "outboxId", merchant_id AS "merchantId", user_id AS "userId", pd_code AS "productCode", ar_no AS "arrangementNo"
      FROM de_webhook_outbox
      WHERE tnt_inst_id = ${tenantId} AND status = 'PENDING'
        AND (queued_at IS NULL OR queued_at < now() - make_interval(secs => ${QUEUED_JOB_RETENTION_SECONDS + 86_400}))
      ORDER BY outbox_id
      LIMIT ${RELAY_BATCH}`)
    if (waiting.length === 0) return 0
    const jobs = waiting.map((row) => ({
      id: deliveryJobId(row.outboxId),
      singletonKey: agreementKey(tenantId, row),
      data: { tenantId, outboxId: String(row.outboxId) } satisfies DeliveryJob,
    }))
    await boss.insert(DELIVERY_QUEUE, jobs, { db: fromPrisma(tx) })
    await tx.$executeRaw(Prisma.sql`
      UPDATE de_webhook_outbox o SET queued_at = now(), job_id = j.id::uuid
      FROM unnest(${waiting.map((w) => w.outboxId)}::bigint[], ${jobs.map((j) => j.id)}::text[]) AS j(outbox_id, id)
      WHERE o.tnt_inst_id = ${tenantId} AND o.outbox_id = j.outbox_id`)
    return waiting.length
  })
}
