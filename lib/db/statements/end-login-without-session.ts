import { statement } from '@/lib/db/statement'
import { FREE_SLOTS, type SlotParameters } from '@/lib/db/statements/login-slots'

/**
 * A login that ends without a session: frees its slots (as failures for a wrong
 * password or an unknown user, as nothing when it was throttled or the check
 * failed) and records the attempt unless `outcome` is null.
 */
export const endLoginWithoutSession = statement<
  SlotParameters & { userId: string | null; outcome: string | null; channel: string; device: string; ipAddress: string | null },
  { freed: number; recorded: number }
>(
  'end-login-without-session',
  `WITH ${FREE_SLOTS}, attempt AS (
     INSERT INTO de_login_attempt (tnt_inst_id, user_id, channel, outcome, device, ip_address)
     SELECT :tenantId, :userId::text, :channel, :outcome::text, :device, :ipAddress::text WHERE :outcome::text IS NOT NULL
     RETURNING 1
   )
   SELECT (SELECT count(*) FROM freed_account)::int + (SELECT count(*) FROM freed_address)::int AS freed,
          (SELECT count(*) FROM attempt)::int AS recorded`,
)
