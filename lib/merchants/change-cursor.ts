// The change feed's cursor: the (transaction id, event id) of the last change a
// page returned, sealed to the merchant it was handed to (lib/pagination/sealed-cursor.ts).
// Changes are read in that order, and only those of transactions older than every
// transaction still running, so a change that commits later always sorts after a
// cursor already handed out (docs/merchants.md#the-change-feed).
import type { MerchantActor } from '@/lib/merchants/merchant-actor'
import { openCursor, sealCursor, type CursorScope } from '@/lib/pagination/sealed-cursor'

export type ChangePosition = { txId: bigint; eventId: bigint }

export const START: ChangePosition = { txId: 0n, eventId: 0n }

// both are PostgreSQL bigints
const MAX_BIGINT = 2n ** 63n - 1n
const POSITION = /^(0|[1-9]\d{0,18})\.(0|[1-9]\d{0,18})$/

const scopeOf = (actor: MerchantActor): CursorScope => ({ call: 'agreement-changes', owner: [actor.tenantId, actor.merchantId] })

export const encodeCursor = (actor: MerchantActor, p: ChangePosition) => sealCursor(scopeOf(actor), `${p.txId}.${p.eventId}`)

/** The position a cursor stands for, or undefined when this service did not hand it to this merchant. */
export function decodeCursor(actor: MerchantActor, cursor: string): ChangePosition | undefined {
  const match = POSITION.exec(openCursor(scopeOf(actor), cursor) ?? '')
  if (!match) return undefined
  const position = { txId: BigInt(match[1]), eventId: BigInt(match[2]) }
  return position.txId <= MAX_BIGINT && position.eventId <= MAX_BIGINT ? position : undefined
}
