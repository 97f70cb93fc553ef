import { runStatement } from '@/lib/db'
import { DomainError, ResultCode } from '@/lib/errors'
import type { Actor } from '@/lib/auth/actor'
import { arrangementView, type ArrangementView } from '@/lib/agreements/arrangement-terms'
import { assertActsForSelf } from '@/lib/agreements/authorize-user'
import { catalogueArrangement } from '@/lib/db/statements/catalogue-arrangement'
import { catalogueProducts } from '@/lib/db/statements/catalogue-products'
import { arrangementType as arrangementTypeField, userId as userIdField } from '@/lib/validation/fields'
import { parseInput } from '@/lib/validation/parse'
import { z } from 'zod'
import { ArrangementStatus } from '@/lib/statuses'

export type Catalogue = {
  arrangement: ArrangementView
  products: { code: string; name: string; orgName: string; description: string; opened: boolean }[]
}

const CATALOGUE_SIZE = 500
const catalogueQuery = z.object({ arrangementType: arrangementTypeField, userId: userIdField })

/** The products a user can open under the arrangement type in force, the opened ones marked. */
export async function listCatalogue(actor: Actor, input: { arrangementType: unknown; userId?: unknown }): Promise<Catalogue> {
  // the pages read for the signed-in user; the API names the user, who must be the caller (04)
  const { arrangementType, userId } = parseInput(catalogueQuery, {
    ...input,
    userId: input.userId === undefined ? actor.userId : input.userId,
  })
  assertActsForSelf(actor, userId)
  const tenantId = actor.tenantId
  // the products are read beside the arrangement, which their statement finds again for the opened marks
  const [[arrangement], products] = await Promise.all([
    catalogueArrangement.run(runStatement, { tenantId, arrangementType, inForce: ArrangementStatus.IN_FORCE }),
    catalogueProducts.run(runStatement, { tenantId, arrangementType, inForce: ArrangementStatus.IN_FORCE, userId: actor.userId, size: CATALOGUE_SIZE }),
  ])
  if (!arrangement) throw new DomainError(ResultCode.ARRANGEMENT_NOT_FOUND)
  return {
    arrangement: arrangementView(arrangement),
    products: products.map((p) => ({ code: p.code, name: p.name, orgName: p.orgName, description: p.description, opened: p.opened })),
  }
}
