import { prisma } from '@/lib/db'
import { config } from '@/lib/config'

/**
 * How long the oldest undelivered webhook has waited, in seconds (0 when none waits): the
 * backlog's age, which grows when deliveries stall whatever the reason (receivers down,
 * the worker stopped, a release that broke delivery).
 */
export async function webhookBacklogAgeSeconds(now = new Date()): Promise<number> {
  const oldest = await prisma.webhookOutbox.findFirst({
    where: { tenantId: config().FC_TENANT_ID, status: 'PENDING' },
    orderBy: { createdAt: 'asc' },
    select: { createdAt: true },
  })
  return oldest ? Math.max(0, (now.getTime() - oldest.createdAt.getTime()) / 1000) : 0
}
