import { runStatement } from '@/lib/db'
import type { Actor } from '@/lib/auth/actor'
import { arrangementTerms, arrangementView, effectiveValues, storedValues, type ArrangementView, type TermValues } from '@/lib/agreements/arrangement-terms'
import { assertActsForSelf } from '@/lib/agreements/authorize-user'
import { agreementDetail } from '@/lib/db/statements/agreement-detail'
import { describedAgreement } from '@/lib/agreements/described-agreement'
import { agreementTargetSchema } from '@/lib/validation/agreement'
import { parseInput } from '@/lib/validation/parse'
import { ArrangementStatus } from '@/lib/statuses'

export type AgreementDetail = {
  product: { code: string; name: string; orgName: string; description: string }
  /** the open agreement's arrangement, else the one in force (else the newest version); `terms` are its definitions */
  arrangement: ArrangementView
  openedAt: Date | null
  /** the values in effect while open (stored, else the terms' defaults); empty when not open */
  values: TermValues
  /** `values`: the agreement's values after an OPEN or CHANGE, as recorded then; `actorType`: the user, the merchant or an administrator */
  history: { action: HistoryAction; outcomeCode: string; at: Date; device: string | null; values: TermValues; actorType: string; reason: string | null }[]
}

export type HistoryAction = 'OPEN' | 'CLOSE' | 'CHANGE'
const ACTIONS: readonly string[] = ['OPEN', 'CLOSE', 'CHANGE']
const HISTORY_SIZE = 200

/** One agreement as the acting user sees it: terms and their values, whether and since when it is open, and its history. */
export async function getAgreement(
  actor: Actor,
  input: { arrangementType: unknown; productCode: unknown; userId?: unknown },
): Promise<AgreementDetail> {
  // the pages read for the signed-in user; the API names the user, who must be the caller (04)
  const { arrangementType, productCode, userId } = parseInput(agreementTargetSchema, { ...input, userId: input.userId === undefined ? actor.userId : input.userId })
  assertActsForSelf(actor, userId)
  // one statement: the agreement, the arrangement it is described by, the product and the history
  const [row] = await agreementDetail.run(runStatement, {
    tenantId: actor.tenantId,
    arrangementType,
    userId: actor.userId,
    productCode,
    inForce: ArrangementStatus.IN_FORCE,
    historySize: HISTORY_SIZE,
  })
  const { arrangement, product } = describedAgreement(row)
  const { terms } = arrangementTerms(arrangement.properties)
  return {
    product: { code: product.code, name: product.name, orgName: product.orgName, description: product.description },
    arrangement: arrangementView(arrangement),
    openedAt: row.openedAt,
    values: row.open ? effectiveValues(terms, storedValues(row.propertyValues)) : {},
    history: row.history.map((e) => ({
      action: (ACTIONS.includes(e.action) ? e.action : 'OPEN') as HistoryAction,
      outcomeCode: e.outcomeCode,
      at: new Date(e.atMs),
      device: e.device,
      values: storedValues(e.propertyValues),
      actorType: e.actorType,
      reason: e.reason,
    })),
  }
}
