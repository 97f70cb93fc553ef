import { prisma } from '@/lib/db'
import { DomainError, ResultCode } from '@/lib/errors'
import type { Actor } from '@/lib/auth/actor'
import { arrangementProperties, arrangementTerms, type TermDefinition } from '@/lib/services/arrangement-properties'
import { assertActsForSelf } from '@/lib/services/authorize-user'
import { arrangementType as arrangementTypeField, userId as userIdField } from '@/lib/validation/fields'
import { parseInput } from '@/lib/validation/parse'
import { z } from 'zod'
import { ArrangementStatus } from '@/lib/statuses'

export type Catalogue = {
  arrangement: { number: string; name: string; version: string; type: string; properties: string[]; terms: TermDefinition[] }
  products: { code: string; name: string; orgName: string; description: string; opened: boolean }[]
}

/** The products a user can open under the arrangement type in force, the opened ones marked. */
export async function listCatalogue(actor: Actor, input: { arrangementType: unknown; userId?: unknown }): Promise<Catalogue> {
  // the pages read for the signed-in user; the API names the user, who must be the caller (04)
  const { arrangementType, userId } = parseInput(z.object({ arrangementType: arrangementTypeField, userId: userIdField }), {
    ...input,
    userId: input.userId === undefined ? actor.userId : input.userId,
  })
  assertActsForSelf(actor, userId)
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
      type: arrangement.type,
      properties: arrangementProperties(arrangement.properties),
      terms: arrangementTerms(arrangement.properties).terms,
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
