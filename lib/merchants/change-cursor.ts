// The change feed's cursor: the (transaction id, event id) of the last change a
// page returned, opaque to the merchant. Changes are read in that order, and only
// those of transactions older than every transaction still running, so a change
// that commits later always sorts after a cursor already handed out
// (docs/merchants.md#the-change-feed).

export type ChangePosition = { txId: bigint; eventId: bigint }

export const START: ChangePosition = { txId: 0n, eventId: 0n }

export const encodeCursor = (p: ChangePosition) => Buffer.from(`c1.${p.txId}.${p.eventId}`, 'utf8').toString('base64url')

/** The position a cursor stands for, or undefined when it is not one of ours. */
export function decodeCursor(cursor: string): ChangePosition | undefined {
  const match = /^c1\.(\d{1,19})\.(\d{1,19})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'))
  if (!match) return undefined
  const position = { txId: BigInt(match[1]), eventId: BigInt(match[2]) }
  return encodeCursor(position) === cursor ? position : undefined
}
