import { prisma } from '@/lib/db'
import { DomainError, ResultCode } from '@/lib/errors'
import type { Actor } from '@/lib/auth/actor'
import { arrangementProperties } from '@/lib/services/arrangement-properties'
import { arrangementType as arrangementTypeField } from '@/lib/validation/fields'
import { parseInput } from '@/lib/validation/parse'
import { z } from 'zod'
import { ArrangementStatus } from '@/lib/statuses'

export type Catalogue = {
  arrangement: { number: string; name: string; version: string; properties: string[] }
  products: { code: string; name: string; orgName: string; description: string; opened: boolean }[]
}

/** The products a user can open under the arrangement type in force, the opened ones marked. */
export async function listCatalogue(actor: Actor, input: { arrangementType: unknown }): Promise<Catalogue> {
  const { arrangementType } = parseInput(z.object({ arrangementType: arrangementTypeField }), input)
  const tenantId = actor.tenantId
  const arrangement = await prisma.arrangement.findFirst({
    where: { tenantId, type: arrangementType, status: ArrangementStatus.IN_FORCE },
    orderBy: [{ version: 'desc' }, { number: 'desc' }],
  })
  if (!arrangement) throw new DomainError(ResultCode.ARRANGEMENT_NOT_FOUND)
  const [products, opened] = await Promise.all([
    prisma.product.findMany({ where: { tenantId }, orderBy: { code: 'asc' }, take: 500 }),
    prisma.userArrangementRelation.findMany({
      where: { tenantId, userId: actor.userId, arrangementNo: arrangement.number },
      select: { productCode: true },
    }),
  ])
  const openCodes = new Set(opened.map((r) => r.productCode))
  return {
    arrangement: {
      number: arrangement.number,
      name: arrangement.name,
      version: arrangement.version,
      properties: arrangementProperties(arrangement.properties),
    },
    products: products.map((p) => ({
      code: p.code,
      name: p.name,
      orgName: p.orgName,
      description: p.description,
      opened: openCodes.has(p.code),
    })),
  }
}
