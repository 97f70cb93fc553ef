import { statement } from '@/lib/db/statement'
import { WINDOW_ENDS_MS } from '@/lib/db/statements/login-slots'

/** Takes a slot in one counter, or returns nothing when its failures plus checks in flight fill `limit`. */
const takeSlot = (scope: 'account' | 'address', key: string, limit: string, from: string) => `
    INSERT INTO de_rate_limit AS r (tnt_inst_id, scope, throttle_key, failures, in_flight, window_ends_at)
    SELECT :tenantId, '${scope}', ${key}, 0, 1, date_trunc('milliseconds', now() + :windowSeconds::int * interval '1 second') ${from}
    ON CONFLICT (tnt_inst_id, scope, throttle_key) DO UPDATE SET
      failures = CASE WHEN r.window_ends_at <= now() THEN 0 ELSE r.failures END,
      in_flight = CASE WHEN r.window_ends_at <= now() THEN 1 ELSE r.in_flight + 1 END,
      window_ends_at = CASE WHEN r.window_ends_at <= now() THEN EXCLUDED.window_ends_at ELSE r.window_ends_at END
    WHERE r.window_ends_at <= now() OR r.failures + r.in_flight < ${limit}::int
    RETURNING ${WINDOW_ENDS_MS} AS ms`

/** Seconds until one counter's window ends when its failures alone fill `limit`, else NULL: one key lookup. */
const secondsBlocked = (scope: 'account' | 'address', key: string, limit: string) => `
           (SELECT ceil(extract(epoch FROM window_ends_at - now()))::int FROM de_rate_limit
            WHERE tnt_inst_id = :tenantId AND scope = '${scope}' AND throttle_key = ${key} AND window_ends_at > now() AND failures >= ${limit}::int)`

export type ReserveRow = {
  accountWindowEndsMs: number | null
  addressWindowEndsMs: number | null
  blockedSeconds: number | null
  userId: string | null
  passwordHash: string | null
  userStatus: string | null
}

/**
 * The first statement of a login: takes a slot in the account's counter (the
 * account key is a hash of the login key), then (only if that one was granted, and
 * when the address is known) in the address's; says for how many seconds the
 * failures alone block either counter; and reads the credential with its user's
 * status. Always one row.
 */
export const reserveLogin = statement<
  { tenantId: string; accountKey: string; address: string | null; windowSeconds: number; accountLimit: number; addressLimit: number; loginKey: string },
  ReserveRow
>(
  'reserve-login',
  `WITH account AS (${takeSlot('account', ':accountKey', ':accountLimit', '')}
   ), address AS (${takeSlot('address', ':address::text', ':addressLimit', 'FROM account WHERE :address::text IS NOT NULL')}
   )
   SELECT (SELECT ms FROM account) AS "accountWindowEndsMs",
          (SELECT ms FROM address) AS "addressWindowEndsMs",
          GREATEST(${secondsBlocked('account', ':accountKey', ':accountLimit')}, ${secondsBlocked('address', ':address::text', ':addressLimit')}) AS "blockedSeconds",
          c.user_id AS "userId", c.password_hash AS "passwordHash", u.user_status AS "userStatus"
   FROM (SELECT 1) AS one
   LEFT JOIN de_user_credential c ON c.tnt_inst_id = :tenantId AND c.login_key = :loginKey
   LEFT JOIN de_user u ON u.tnt_inst_id = c.tnt_inst_id AND u.user_id = c.user_id`,
)
