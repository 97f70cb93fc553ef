// What a merchant receives for one history row (docs/merchants.md#notifications):
// Standard Webhooks' envelope, `type`, `timestamp`, `data`.

export type EventRow = {
  tenantId: string
  eventId: bigint
  userId: string
  productCode: string
  arrangementNo: string
  action: string
  actorType: string
  reason: string | null
  at: Date
}

const TYPES: Record<string, string> = { OPEN: 'agreement.opened', CLOSE: 'agreement.closed', CHANGE: 'agreement.changed' }

/** The event's type: agreement.opened / .closed / .changed (a later action gets agreement.<action>). */
export const eventType = (action: string) => TYPES[action] ?? `agreement.${action.toLowerCase()}`

/** The webhook-id: the same on every attempt and redelivery, so that a receiver can drop duplicates. */
export const webhookId = (row: Pick<EventRow, 'tenantId' | 'eventId'>) => `evt_${row.tenantId}_${row.eventId}`

/** The body: what happened, to which agreement, by whom; the agreement's terms and values are one QueryAgreement away. */
export function eventPayload(row: EventRow): string {
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
