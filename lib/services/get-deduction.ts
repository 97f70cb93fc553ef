import { prisma } from '@/lib/db'
import { DomainError, ResultCode } from '@/lib/errors'
import type { Actor } from '@/lib/auth/actor'
import { arrangementProperties } from '@/lib/services/arrangement-properties'
import { deductionTargetSchema } from '@/lib/validation/deduction'
import { parseInput } from '@/lib/validation/parse'
import { ArrangementStatus } from '@/lib/statuses'

export type DeductionDetail = {
  product: { code: string; name: string; orgName: string; description: string }
  arrangement: { number: string; name: string; version: string; properties: string[] }
  openedAt: Date | null
  history: { action: 'OPEN' | 'CLOSE'; outcomeCode: string; at: Date; device: string | null; actorType: string; reason: string | null }[]
}

/** One service as the acting user sees it: terms, whether and since when it is open, and its history. */
export async function getDeduction(actor: Actor, input: { arrangementType: unknown; productCode: unknown }): Promise<DeductionDetail> {
  const { arrangementType, productCode } = parseInput(deductionTargetSchema, { ...input, userId: actor.userId })
  const tenantId = actor.tenantId
  const [arrangements, product] = await Promise.all([
    prisma.arrangement.findMany({ where: { tenantId, type: arrangementType }, orderBy: [{ status: 'asc' }, { version: 'desc' }] }),
    prisma.product.findUnique({ where: { tenantId_code: { tenantId, code: productCode } } }),
  ])
  // the one in force (status 2) first, else the newest version
  const arrangement = arrangements.find((a) => a.status === ArrangementStatus.IN_FORCE) ?? arrangements[0]
  if (!arrangement) throw new DomainError(ResultCode.ARRANGEMENT_NOT_FOUND)
  if (!product) throw new DomainError(ResultCode.PRODUCT_NOT_FOUND)
  const numbers = arrangements.map((a) => a.number)
  const [relation, events] = await Promise.all([
    prisma.userArrangementRelation.findFirst({
      where: { tenantId, userId: actor.userId, productCode, arrangementNo: { in: numbers } },
      select: { createdAt: true },
    }),
    prisma.deductionEvent.findMany({
      where: { tenantId, userId: actor.userId, productCode, arrangementNo: { in: numbers } },
      orderBy: { id: 'asc' },
      take: 200,
    }),
  ])
  return {
    product: { code: product.code, name: product.name, orgName: product.orgName, description: product.description },
    arrangement: {
      number: arrangement.number,
      name: arrangement.name,
      version: arrangement.version,
      properties: arrangementProperties(arrangement.properties),
    },
    openedAt: relation?.createdAt ?? null,
    history: events.map((e) => ({
      action: e.action === 'CLOSE' ? 'CLOSE' : 'OPEN',
      outcomeCode: e.outcomeCode,
      at: e.createdAt,
      device: e.device,
      actorType: e.actorType,
      reason: e.reason,
    })),
  }
}
