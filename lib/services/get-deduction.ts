import { runStatement } from '@/lib/db'
import { DomainError, ResultCode } from '@/lib/errors'
import type { Actor } from '@/lib/auth/actor'
import { arrangementTerms, arrangementView, effectiveValues, storedValues, type ArrangementView, type TermValues } from '@/lib/services/arrangement-properties'
import { assertActsForSelf } from '@/lib/services/authorize-user'
import {
  ARRANGEMENTS_BY_STATUS,
  HISTORY_OF_TYPE,
  PRODUCT_BY_CODE,
  RELATION_OF_TYPE,
  type ArrangementRow,
  type HistoryRow,
  type ProductRow,
  type RelationRow,
} from '@/lib/services/catalogue-statements'
import { deductionTargetSchema } from '@/lib/validation/deduction'
import { parseInput } from '@/lib/validation/parse'
import { ArrangementStatus } from '@/lib/statuses'

export type DeductionDetail = {
  product: { code: string; name: string; orgName: string; description: string }
  /** the open service's arrangement, else the one in force (else the newest version); `terms` are its definitions */
  arrangement: ArrangementView
  openedAt: Date | null
  /** the values in effect while open (stored, else the terms' defaults); empty when not open */
  values: TermValues
  /** `values`: the service's values after an OPEN or CHANGE, as recorded then; `actorType`: the user, the merchant or an administrator */
  history: { action: HistoryAction; outcomeCode: string; at: Date; device: string | null; values: TermValues; actorType: string; reason: string | null }[]
}

export type HistoryAction = 'OPEN' | 'CLOSE' | 'CHANGE'
const ACTIONS: readonly string[] = ['OPEN', 'CLOSE', 'CHANGE']
const HISTORY_SIZE = 200

/** One service as the acting user sees it: terms and their values, whether and since when it is open, and its history. */
export async function getDeduction(
  actor: Actor,
  input: { arrangementType: unknown; productCode: unknown; userId?: unknown },
): Promise<DeductionDetail> {
  // the pages read for the signed-in user; the API names the user, who must be the caller (04)
  const { arrangementType, productCode, userId } = parseInput(deductionTargetSchema, { ...input, userId: input.userId === undefined ? actor.userId : input.userId })
  assertActsForSelf(actor, userId)
  const tenantId = actor.tenantId
  // the service and its history are found by the arrangement type, so the four reads need not wait for one another
  const [arrangements, [product], [relation], events] = await Promise.all([
    runStatement<ArrangementRow>(ARRANGEMENTS_BY_STATUS, [tenantId, arrangementType]),
    runStatement<ProductRow>(PRODUCT_BY_CODE, [tenantId, productCode]),
    runStatement<RelationRow>(RELATION_OF_TYPE, [tenantId, arrangementType, actor.userId, productCode]),
    runStatement<HistoryRow>(HISTORY_OF_TYPE, [tenantId, arrangementType, actor.userId, productCode, HISTORY_SIZE]),
  ])
  // the one in force (status 2) first, else the newest version
  const current = arrangements.find((a) => a.status === ArrangementStatus.IN_FORCE) ?? arrangements[0]
  if (!current) throw new DomainError(ResultCode.ARRANGEMENT_NOT_FOUND)
  if (!product) throw new DomainError(ResultCode.PRODUCT_NOT_FOUND)
  const arrangement = arrangements.find((a) => a.number === relation?.arrangementNo) ?? current
  const { terms } = arrangementTerms(arrangement.properties)
  return {
    product: { code: product.code, name: product.name, orgName: product.orgName, description: product.description },
    arrangement: arrangementView(arrangement),
    openedAt: relation?.createdAt ?? null,
    values: relation ? effectiveValues(terms, storedValues(relation.propertyValues)) : {},
    history: events.map((e) => ({
      action: (ACTIONS.includes(e.action) ? e.action : 'OPEN') as HistoryAction,
      outcomeCode: e.outcomeCode,
      at: e.createdAt,
      device: e.device,
      values: storedValues(e.propertyValues),
      actorType: e.actorType,
      reason: e.reason,
    })),
  }
}
