import { prisma } from '@/lib/db'
import { rowsOn } from '@/lib/db/on-prisma'
import { agreementChanges } from '@/lib/db/statements/agreement-changes'
import { invalidArgument } from '@/lib/errors'
import { decodeCursor, encodeCursor, START } from '@/lib/merchants/change-cursor'
import type { MerchantActor } from '@/lib/merchants/merchant-actor'
import { assertOwnsProduct } from '@/lib/merchants/merchant-products'
import { changesQuerySchema } from '@/lib/validation/merchant'
import { parseInput } from '@/lib/validation/parse'

export type AgreementChange = {
  eventId: string
  userId: string
  productCode: string
  arrangementNo: string
  action: string
  actorType: string
  reason: string
  at: Date
}

export type ChangesPage = { changes: AgreementChange[]; nextCursor: string; more: boolean }

/**
 * A product's opens, changes and closes after the cursor, oldest first, for a
 * merchant reconciling with its own records. Checks: fields (10), the product is
 * the merchant's (04), a cursor this service handed to this merchant (10). Rows are ordered by the
 * writing transaction's id, then the event's, and a row is returned only once no
 * transaction older than it is still running (pg_snapshot_xmin): a change that
 * commits after a page was read never lands before that page's cursor.
 */
export async function listAgreementChanges(actor: MerchantActor, input: unknown): Promise<ChangesPage> {
  const query = parseInput(changesQuerySchema, input)
  await assertOwnsProduct(actor, query.productCode)
  const after = query.cursor === undefined ? START : decodeCursor(actor, query.cursor)
  if (after === undefined) throw invalidArgument('cursor', 'is not a cursor from this service')
  const rows = await agreementChanges.run(rowsOn(prisma), {
    tenantId: actor.tenantId,
    productCode: query.productCode,
    afterTxId: after.txId,
    afterEventId: after.eventId,
    limit: query.pageSize + 1,
  })
  const page = rows.slice(0, query.pageSize)
  const last = page.at(-1)
  return {
    changes: page.map((r) => ({
      eventId: String(r.eventId),
      userId: r.userId,
      productCode: r.productCode,
      arrangementNo: r.arrangementNo,
      action: r.action,
      actorType: r.actorType,
      reason: r.reason ?? '',
      at: r.at,
    })),
    nextCursor: encodeCursor(actor, last ? { txId: BigInt(last.txId), eventId: BigInt(last.eventId) } : after),
    more: rows.length > query.pageSize,
  }
}
