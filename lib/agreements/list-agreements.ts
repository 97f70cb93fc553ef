import { runStatement } from '@/lib/db'
import { DomainError, invalidArgument, ResultCode } from '@/lib/errors'
import type { Actor } from '@/lib/auth/actor'
import { assertActsForSelf } from '@/lib/agreements/authorize-user'
import { listFirstPage, listLaterPage, type ListRow } from '@/lib/db/statements/list-agreements'
import { decodePageToken, encodePageToken } from '@/lib/agreements/page-token'
import { listQuerySchema } from '@/lib/validation/agreement'
import { parseInput } from '@/lib/validation/parse'

export type AgreementListItem = {
  productCode: string
  productName: string
  productOrgName: string
  openedAt: Date
  /** the arrangement the agreement was opened under, and the values of its terms as stored (JSON) */
  arrangementNo: string
  propertyValues: string | null
}
export type AgreementPage = { items: AgreementListItem[]; nextPageToken: string }

/**
 * The acting user's open agreements of one arrangement type, newest first, by keyset
 * pages (rel_id is time-ordered). One round trip: the arrangement check rides
 * along as a flag so that an unknown type still answers 15. Each arrangement's
 * rows are read newest first straight off the list index, a page at a time, so
 * the cost does not grow with how many agreements a user has (`ar_no = ANY(...)`
 * would make PostgreSQL sort all of them, or scan the whole table). The statements
 * are in lib/db/statements/list-agreements.ts. The page token is sealed to the user, tenant and
 * type (page-token.ts): any other is 10, before any row is read.
 */
export async function listAgreements(
  actor: Actor,
  input: { arrangementType: unknown; userId: unknown; pageSize?: unknown; pageToken?: unknown },
): Promise<AgreementPage> {
  const query = parseInput(listQuerySchema, input)
  assertActsForSelf(actor, query.userId)
  const owner = { tenantId: actor.tenantId, userId: actor.userId, arrangementType: query.arrangementType }
  const after = query.pageToken === undefined ? undefined : decodePageToken(owner, query.pageToken)
  if (query.pageToken !== undefined && after === undefined) throw invalidArgument('pageToken', 'is not a page token from this service')

  const page = { tenantId: actor.tenantId, arrangementType: query.arrangementType, userId: actor.userId, limit: query.pageSize + 1 }
  const rows = after ? await listLaterPage.run(runStatement, { ...page, afterAgreementId: after }) : await listFirstPage.run(runStatement, page)

  if (!rows[0]?.arrangementFound) throw new DomainError(ResultCode.ARRANGEMENT_NOT_FOUND)
  const found = rows.filter((r): r is ListRow & { agreementId: string } => r.agreementId !== null)
  const items = found.slice(0, query.pageSize)
  const more = found.length > query.pageSize
  return {
    items: items.map((r) => ({
      productCode: r.productCode ?? '',
      productName: r.productName ?? '',
      productOrgName: r.productOrgName ?? '',
      openedAt: r.openedAt ?? new Date(0),
      arrangementNo: r.arrangementNo ?? '',
      propertyValues: r.propertyValues,
    })),
    nextPageToken: more ? encodePageToken(owner, items[items.length - 1].agreementId) : '',
  }
}
