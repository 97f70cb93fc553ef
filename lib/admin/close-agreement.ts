import type { PrismaClient } from '@/lib/generated/prisma/client'
import { config } from '@/lib/config'
import { AdminError } from '@/lib/admin/errors'
import { DomainError, ResultCode } from '@/lib/errors'
import { endAgreement } from '@/lib/merchants/close-agreement'
import { rowsOn } from '@/lib/db/on-prisma'
import { agreementCloseSchema } from '@/lib/validation/merchant'
import { adminRefusal } from '@/lib/admin/validation'
import { parseInput } from '@/lib/validation/parse'

const REFUSALS: Partial<Record<string, [AdminError['kind'], string]>> = {
  [ResultCode.ARRANGEMENT_NOT_FOUND]: ['not-found', 'no arrangement of that type'],
  [ResultCode.PRODUCT_NOT_FOUND]: ['not-found', 'no such product'],
  [ResultCode.NOT_OPEN]: ['not-found', 'the user has no open agreement on that product'],
}

/**
 * An administrator ends a user's agreement (a complaint, a merchant gone): the
 * same statement as a merchant's close, the history naming an administrator
 * and the reason; the merchant is notified like any other change.
 */
export async function adminCloseAgreement(db: PrismaClient, input: { userId: unknown; productCode: unknown; arrangementType?: unknown; reason: unknown }) {
  const target = parseInput(agreementCloseSchema, { ...input, arrangementType: input.arrangementType ?? 'Deduction' }, adminRefusal)
  try {
    await endAgreement(rowsOn(db), config().FC_TENANT_ID, target, { type: 'ADMIN', id: null })
  } catch (error) {
    const refusal = error instanceof DomainError ? REFUSALS[error.code] : undefined
    if (refusal) throw new AdminError(refusal[0], refusal[1])
    throw error
  }
  return target
}
