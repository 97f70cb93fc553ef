import { Prisma } from '@/lib/generated/prisma/client'
import { runStatement } from '@/lib/db'
import type { MerchantActor } from '@/lib/merchants/merchant-actor'
import type { MerchantAgreement } from '@/lib/merchants/query-agreement'
import { merchantSignRequest } from '@/lib/signing/merchant-sign-request'
import type { SignRequestRecord } from '@/lib/signing/sign-request-record'
import { SignStatus } from '@/lib/signing/sign-status'

export type SignRequestState = SignRequestRecord & { agreement: MerchantAgreement | null }

type AgreementRow = Omit<MerchantAgreement, 'open'> & { open: boolean }

/**
 * The state of one of the merchant's sign requests (10, 18, 04 as
 * merchantSignRequest), and once SIGNED the agreement it opened: its product, its
 * arrangement and terms, and whether it is still open (the user may have closed
 * it since). The merchant confirms a return with this call or the event, never
 * with the return alone.
 */
export async function querySignRequest(actor: MerchantActor, input: unknown): Promise<SignRequestState> {
  const record = await merchantSignRequest(actor, input)
  if (record.status !== SignStatus.SIGNED || !record.userId) return { ...record, agreement: null }
  const read = Prisma.sql`
    SELECT ${record.userId} AS "userId", p.pd_code AS "productCode", p.pd_name AS "productName",
           a.ar_number AS "arrangementNo", a.ar_name AS "arrangementName", a.ar_version AS "arrangementVersion",
           r.rel_id IS NOT NULL AS "open", r.gmt_create AS "openedAt",
           COALESCE(a.properties, '') AS "terms", COALESCE(r.property_values, '') AS "propertyValues"
    FROM de_prod p
    JOIN de_ar a ON a.tnt_inst_id = p.tnt_inst_id AND a.ar_number = ${record.arrangementNo}
    LEFT JOIN de_user_ar_rel r ON r.tnt_inst_id = p.tnt_inst_id AND r.rel_id = ${record.relId}
    WHERE p.tnt_inst_id = ${actor.tenantId} AND p.pd_code = ${record.productCode}`
  const [agreement] = await runStatement<AgreementRow>(read.text, read.values)
  return { ...record, agreement: agreement ?? null }
}
