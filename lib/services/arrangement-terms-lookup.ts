import { Prisma } from '@/lib/generated/prisma/client'
import { DomainError, ResultCode } from '@/lib/errors'
import type { Actor } from '@/lib/auth/actor'
import type { Executor } from '@/lib/services/idempotency'
import { ArrangementStatus } from '@/lib/statuses'

/** What opening and changing read before they write: the arrangement's terms and the service's values (when open). */
export type TermsLookup = {
  arrangementNumber: string
  arrangementProperties: string | null
  relationValues: string | null
  open: boolean
}

type Row = Omit<TermsLookup, 'arrangementNumber'> & { arrangementNumber: string | null; productFound: boolean }

/**
 * One round trip reads what the checks after the Idempotency-Key need, in their
 * order: the arrangement (15) — for opening the newest in force, for a change the
 * one the open service was made under (any status, as for closing) — then the
 * product (14). Whether the service is open is for the caller to judge (16, 17).
 */
export async function lookupTerms(
  db: Executor,
  actor: Pick<Actor, 'tenantId' | 'userId'>,
  target: { arrangementType: string; productCode: string },
  purpose: 'open' | 'change',
): Promise<TermsLookup> {
  const statement = Prisma.sql`
    WITH ar AS (
      SELECT ar_number, ar_version, properties FROM de_ar
      WHERE tnt_inst_id = ${actor.tenantId} AND ar_type = ${target.arrangementType}
        ${purpose === 'open' ? Prisma.sql`AND ar_status = ${ArrangementStatus.IN_FORCE}` : Prisma.empty}
    ), rel AS (
      SELECT r.ar_no, r.property_values FROM de_user_ar_rel r
      WHERE r.tnt_inst_id = ${actor.tenantId} AND r.user_id = ${actor.userId} AND r.pd_code = ${target.productCode}
        AND r.ar_no IN (SELECT ar_number FROM ar)
      ORDER BY r.rel_id DESC
      LIMIT 1
    ), chosen AS (
      SELECT ar_number, properties FROM ar
      ${purpose === 'change' ? Prisma.sql`WHERE ar_number = (SELECT ar_no FROM rel)` : Prisma.empty}
      ORDER BY ar_version DESC, ar_number DESC
      LIMIT 1
    )
    SELECT COALESCE((SELECT ar_number FROM chosen), (SELECT min(ar_number) FROM ar)) AS "arrangementNumber",
           (SELECT properties FROM chosen) AS "arrangementProperties",
           EXISTS (SELECT 1 FROM de_prod WHERE tnt_inst_id = ${actor.tenantId} AND pd_code = ${target.productCode}) AS "productFound",
           (SELECT property_values FROM rel) AS "relationValues",
           EXISTS (SELECT 1 FROM rel) AS "open"`
  const [row] = await db<Row>(statement.text, statement.values)
  if (!row.arrangementNumber) throw new DomainError(ResultCode.ARRANGEMENT_NOT_FOUND)
  if (!row.productFound) throw new DomainError(ResultCode.PRODUCT_NOT_FOUND)
  return { arrangementNumber: row.arrangementNumber, arrangementProperties: row.arrangementProperties, relationValues: row.relationValues, open: row.open }
}
