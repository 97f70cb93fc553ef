// What a merchant receives for one history row (docs/merchants.md#notifications):
// Standard Webhooks' envelope, `type`, `timestamp`, `data`.

export type EventRow = {
  tenantId: string
  eventId: bigint | null
  userId: string
  productCode: string
  arrangementNo: string
  action: string
  actorType: string
  reason: string | null
  at: Date
  /** set when the row is a sign request's outcome rather than a history row (then the fields above describe that request) */
  signRequest?: SignRequestEvent | null
}

/** A sign request's outcome as delivered: sign_request.<status>, with the merchant's reference, and once signed the agreement it opened. */
export type SignRequestEvent = {
  id: string
  merchantReference: string
  status: string
  propertyValues: string | null
}

const TYPES: Record<string, string> = { OPEN: 'agreement.opened', CLOSE: 'agreement.closed', CHANGE: 'agreement.changed' }

/** The event's type: agreement.opened / .closed / .changed (a later action gets agreement.<action>). */
export const eventType = (action: string) => TYPES[action] ?? `agreement.${action.toLowerCase()}`

/**
 * The webhook-id: the same on every attempt and redelivery, so that a receiver can
 * drop duplicates. A sign request has one outcome, so its id names it.
 */
export const webhookId = (row: Pick<EventRow, 'tenantId' | 'eventId' | 'signRequest'>) =>
  row.signRequest ? `evt_${row.tenantId}_${row.signRequest.id}` : `evt_${row.tenantId}_${row.eventId}`

/** The body: what happened, to which agreement, by whom; the agreement's terms and values are one QueryAgreement away. */
export function eventPayload(row: EventRow): string {
  if (row.signRequest) return signRequestPayload(row, row.signRequest)
  return JSON.stringify({
    type: eventType(row.action),
    timestamp: row.at.toISOString(),
    data: {
      eventId: String(row.eventId),
      userId: row.userId,
      productCode: row.productCode,
      arrangementNo: row.arrangementNo,
      action: row.action,
      actorType: row.actorType,
      reason: row.reason ?? '',
    },
  })
}

/**
 * sign_request.signed / .declined / .expired / .cancelled: the request, the
 * merchant's reference, who signed or declined (empty when nobody did), and for
 * signed the agreement it opened (its terms' values one QueryAgreement away).
 */
function signRequestPayload(row: EventRow, sr: SignRequestEvent): string {
  const signed = sr.status === 'SIGNED'
  return JSON.stringify({
    type: `sign_request.${sr.status.toLowerCase()}`,
    timestamp: row.at.toISOString(),
    data: {
      signRequestId: sr.id,
      merchantReference: sr.merchantReference,
      signStatus: sr.status,
      productCode: row.productCode,
      userId: row.userId,
      ...(signed
        ? { agreement: { userId: row.userId, productCode: row.productCode, arrangementNo: row.arrangementNo, propertyValues: sr.propertyValues ?? '' } }
        : {}),
    },
  })
}
