// The SQL a login sends, as parameterised text ($1, $2, …): the app runs these
// (lib/auth/throttle.ts, lib/auth/sessions.ts) and so does the benchmark's floor,
// so the two cannot drift. A login that succeeds is two statements, one before its
// password is checked and one after (docs/architecture.md#a-login-in-two-statements);
// no transaction or connection is held while the password is hashed.

// A counter's window end as epoch milliseconds (and back): freeing a slot names its
// window exactly, whatever the session's time zone.
const WINDOW_ENDS_MS = `(extract(epoch FROM window_ends_at) * 1000)::float8`
const windowEndingAt = (ms: string) => `timestamptz 'epoch' + ${ms}::bigint * interval '1 millisecond'`

/** Takes a slot in one counter, or returns nothing when its failures plus checks in flight fill `limit`. */
const takeSlot = (scope: 'account' | 'address', key: string, limit: string, from: string) => `
    INSERT INTO de_rate_limit AS r (tnt_inst_id, scope, throttle_key, failures, in_flight, window_ends_at)
    SELECT $1, '${scope}', ${key}, 0, 1, date_trunc('milliseconds', now() + $4::int * interval '1 second') ${from}
    ON CONFLICT (tnt_inst_id, scope, throttle_key) DO UPDATE SET
      failures = CASE WHEN r.window_ends_at <= now() THEN 0 ELSE r.failures END,
      in_flight = CASE WHEN r.window_ends_at <= now() THEN 1 ELSE r.in_flight + 1 END,
      window_ends_at = CASE WHEN r.window_ends_at <= now() THEN EXCLUDED.window_ends_at ELSE r.window_ends_at END
    WHERE r.window_ends_at <= now() OR r.failures + r.in_flight < ${limit}::int
    RETURNING ${WINDOW_ENDS_MS} AS ms`

/** Seconds until one counter's window ends when its failures alone fill `limit`, else NULL: one key lookup. */
const secondsBlocked = (scope: 'account' | 'address', key: string, limit: string) => `
           (SELECT ceil(extract(epoch FROM window_ends_at - now()))::int FROM de_rate_limit
            WHERE tnt_inst_id = $1 AND scope = '${scope}' AND throttle_key = ${key} AND window_ends_at > now() AND failures >= ${limit}::int)`

/**
 * The first statement of a login: takes a slot in the account's counter, then (only
 * if that one was granted, and when the address is known) in the address's; says
 * for how many seconds the failures alone block either counter; and reads the
 * credential with its user's status. Always one row.
 * $1 tenant, $2 account key (a hash of the login key), $3 address or NULL,
 * $4 window seconds, $5 account limit, $6 address limit, $7 login key
 */
export const RESERVE_LOGIN = `
  WITH account AS (${takeSlot('account', '$2', '$5', '')}
  ), address AS (${takeSlot('address', '$3::text', '$6', 'FROM account WHERE $3::text IS NOT NULL')}
  )
  SELECT (SELECT ms FROM account) AS "accountWindowEndsMs",
         (SELECT ms FROM address) AS "addressWindowEndsMs",
         GREATEST(${secondsBlocked('account', '$2', '$5')}, ${secondsBlocked('address', '$3::text', '$6')}) AS "blockedSeconds",
         c.user_id AS "userId", c.password_hash AS "passwordHash", u.user_status AS "userStatus"
  FROM (SELECT 1) AS one
  LEFT JOIN de_user_credential c ON c.tnt_inst_id = $1 AND c.login_key = $7
  LEFT JOIN de_user u ON u.tnt_inst_id = c.tnt_inst_id AND u.user_id = c.user_id`

/**
 * Gives back the slots an attempt holds, as failures ($6 = 1) or as nothing ($6 = 0).
 * A slot of a window that has ended since is not freed in the next one, which never
 * counted it. Parameters from $1: tenant, account key, its window end (ms) or NULL,
 * address or NULL, its window end or NULL, failed (0 or 1).
 */
const freeSlot = (scope: 'account' | 'address', key: string, windowEndsMs: string, after = '') => `
    UPDATE de_rate_limit SET in_flight = in_flight - 1, failures = failures + $6::int
    WHERE tnt_inst_id = $1 AND scope = '${scope}' AND throttle_key = ${key}
      AND window_ends_at = ${windowEndingAt(windowEndsMs)} AND in_flight > 0${after}
    RETURNING 1`
// One key lookup per counter (an OR of the two would let the planner read every
// counter of the tenant). Every statement locks the counters in one order, the
// account's then the address's, and before anything else (the order of the
// sub-statements of one statement is otherwise the planner's): the address's
// waits on the account's through the subquery, and so does what follows.
const FREE_SLOTS = `
  freed_account AS (${freeSlot('account', '$2', '$3')}
  ), freed_address AS (${freeSlot('address', '$4::text', '$5', '\n      AND (SELECT count(*) FROM freed_account) >= 0')}
  )`
const AFTER_FREED_SLOTS = `(SELECT count(*) FROM freed_address) >= 0`

/**
 * A login that ends without a session: frees its slots (as failures for a wrong
 * password or an unknown user, as nothing when it was throttled or the check
 * failed) and records the attempt unless $8 (the outcome) is NULL.
 * $1–$6 as FREE_SLOTS, then $7 user or NULL, $8 outcome or NULL, $9 channel, $10 device, $11 address
 */
export const END_LOGIN_WITHOUT_SESSION = `
  WITH ${FREE_SLOTS}, attempt AS (
    INSERT INTO de_login_attempt (tnt_inst_id, user_id, channel, outcome, device, ip_address)
    SELECT $1, $7::text, $9, $8::text, $10, $11::text WHERE $8::text IS NOT NULL
    RETURNING 1
  )
  SELECT (SELECT count(*) FROM freed_account)::int + (SELECT count(*) FROM freed_address)::int AS freed,
         (SELECT count(*) FROM attempt)::int AS recorded`

/**
 * The second statement of a login whose password was right: frees its slots (they
 * count nothing), locks the user row and reads the status under the lock, ends the
 * user's live session (REPLACED, replaced_by the new one), starts the new session
 * with its refresh token, and records the attempt (SUCCESS, or UNKNOWN_USER when the
 * user was disabled meanwhile, which starts nothing). The unique key on live_user_id
 * guards the outcome: a login of the same user that committed after this statement
 * began makes it fail as a unique violation, and it is run again (lib/auth/sessions.ts).
 * $1–$6 as FREE_SLOTS, $7 user, $8 session id, $9 channel, $10 device, $11 address,
 * $12 access token hash or NULL, $13 its expiry or NULL, $14 now, $15 idle expiry,
 * $16 absolute expiry, $17 refresh token hash or NULL, $18 its expiry or NULL,
 * $19 the active user status, $20 record the attempt (false for sessions the tests make)
 */
export const START_LOGIN_SESSION = `
  WITH ${FREE_SLOTS}, u AS (
    SELECT user_id FROM de_user WHERE tnt_inst_id = $1 AND user_id = $7::text AND user_status = $19 AND ${AFTER_FREED_SLOTS}
    FOR UPDATE
  ), ended AS (
    UPDATE de_session s SET live_user_id = NULL, status = 'REVOKED', end_reason = 'REPLACED', ended_at = $14::timestamptz, replaced_by = $8
    FROM u WHERE s.tnt_inst_id = $1 AND s.live_user_id = u.user_id
      -- the user row is locked before any session row, whatever plan the join gets
      AND (SELECT count(*) FROM u) >= 0
    RETURNING s.session_id
  ), started AS (
    INSERT INTO de_session (tnt_inst_id, session_id, user_id, live_user_id, channel, device, ip_address, token_hash,
                            token_expires_at, gmt_create, last_seen_at, idle_expires_at, absolute_expires_at)
    SELECT $1, $8, u.user_id, u.user_id, $9, $10, $11::text, $12::text, $13::timestamptz, $14::timestamptz, $14::timestamptz,
           $15::timestamptz, $16::timestamptz
    FROM u WHERE (SELECT count(*) FROM ended) >= 0
    RETURNING session_id
  ), refresh AS (
    INSERT INTO de_refresh_token (tnt_inst_id, token_hash, session_id, expires_at)
    SELECT $1, $17::text, session_id, $18::timestamptz FROM started WHERE $17::text IS NOT NULL
    RETURNING 1
  ), attempt AS (
    INSERT INTO de_login_attempt (tnt_inst_id, user_id, session_id, channel, outcome, device, ip_address)
    SELECT $1, s.user_id, s.session_id, $9, CASE WHEN s.session_id IS NULL THEN 'UNKNOWN_USER' ELSE 'SUCCESS' END, $10, $11::text
    FROM (SELECT 1) AS one LEFT JOIN (SELECT session_id, $7::text AS user_id FROM started) s ON true
    WHERE $20::boolean
    RETURNING 1
  )
  SELECT EXISTS (SELECT 1 FROM started) AS started, (SELECT count(*) FROM ended)::int AS replaced`
