import { statement } from '@/lib/db/statement'

/** A rotated key works `overlapHours` more at most (never longer than it already would), and says until when. */
export const endKeyAfterOverlap = statement<{ tenantId: string; keyId: string; overlapHours: number }, { expiresAt: Date }>(
  'end-key-after-overlap',
  `UPDATE de_merchant_credential SET expires_at = LEAST(COALESCE(expires_at, 'infinity'), now() + make_interval(hours => :overlapHours))
   WHERE tnt_inst_id = :tenantId AND key_id = :keyId
   RETURNING expires_at AS "expiresAt"`,
)
