import { config } from '@/lib/config'
import { prisma } from '@/lib/db'

export type ReceivedEvent = { webhookId: string; type: string; signRequestId: string | null; merchantReference: string | null; receivedAt: string }

/** Keeps one verified event; the same webhook-id again (a redelivery) is kept once. */
export async function keepDemoShopEvent(webhookId: string, payload: string): Promise<void> {
  const parsed = JSON.parse(payload) as { type?: unknown; data?: { signRequestId?: unknown; merchantReference?: unknown } }
  const text = (v: unknown, max: number) => (typeof v === 'string' ? v.slice(0, max) : null)
  await prisma.demoShopEvent.createMany({
    data: [
      {
        tenantId: config().FC_TENANT_ID,
        webhookId: webhookId.slice(0, 64),
        eventType: text(parsed.type, 64) ?? 'unknown',
        signRequestId: text(parsed.data?.signRequestId, 32),
        merchantReference: text(parsed.data?.merchantReference, 64),
        payload,
      },
    ],
    skipDuplicates: true,
  })
}

/** The latest events the shop received, newest first; only one sign request's when asked. */
export async function listDemoShopEvents(signRequestId?: string): Promise<ReceivedEvent[]> {
  const rows = await prisma.demoShopEvent.findMany({
    where: { tenantId: config().FC_TENANT_ID, ...(signRequestId ? { signRequestId } : {}) },
    orderBy: { receivedAt: 'desc' },
    take: 20,
  })
  return rows.map((r) => ({ webhookId: r.webhookId, type: r.eventType, signRequestId: r.signRequestId, merchantReference: r.merchantReference, receivedAt: r.receivedAt.toISOString() }))
}
