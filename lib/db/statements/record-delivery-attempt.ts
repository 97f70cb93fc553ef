import { statement } from '@/lib/db/statement'

/**
 * Records one delivery attempt and what it makes of the outbox row: DELIVERED, FAILED
 * once its retry window (from its first attempt's creation) has passed, else PENDING.
 */
export const recordDeliveryAttempt = statement<
  { tenantId: string; outboxId: bigint; httpStatus: number | null; error: string | null; durationMs: number; ok: boolean; retryWindowSeconds: number },
  { status: string }
>(
  'record-delivery-attempt',
  `WITH attempt AS (
     INSERT INTO de_webhook_attempt (tnt_inst_id, outbox_id, http_status, error, duration_ms, gmt_create)
     VALUES (:tenantId, :outboxId, :httpStatus, :error, :durationMs, now())
   )
   UPDATE de_webhook_outbox SET
     attempts = attempts + 1,
     last_error = :error,
     delivered_at = CASE WHEN :ok THEN now() END,
     retry_until = COALESCE(retry_until, gmt_create + make_interval(secs => :retryWindowSeconds)),
     status = CASE WHEN :ok THEN 'DELIVERED'
                   WHEN now() >= COALESCE(retry_until, gmt_create + make_interval(secs => :retryWindowSeconds)) THEN 'FAILED'
                   ELSE 'PENDING' END
   WHERE tnt_inst_id = :tenantId AND outbox_id = :outboxId
   RETURNING status`,
)
