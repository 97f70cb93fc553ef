// The SQL the app sends for the benchmarked calls, as parameterised text: the
// floor server runs exactly these, and the EXPLAIN step plans them. Copied from
// lib/auth/authenticate-token.ts (session check), lib/auth/sessions.ts (idle touch) and
// lib/services/{list,open,close}-deduction.ts; keep them in step with those files.

/** authenticateToken: prisma.session.findUnique({ where: { tokenHash } }). $1 token hash */
export const SESSION_BY_TOKEN = `
  SELECT tnt_inst_id, session_id, user_id, live_user_id, device, token_expires_at,
         last_seen_at, idle_expires_at, absolute_expires_at
  FROM de_session WHERE token_hash = $1`

/** checkSession: slides the idle window, at most once a minute. $1 tenant, $2 session id, $3 idle expiry */
export const TOUCH_SESSION = `
  UPDATE de_session SET last_seen_at = now(), idle_expires_at = $3
  WHERE tnt_inst_id = $1 AND session_id = $2 AND live_user_id IS NOT NULL`

const LIST_HEAD = `
  WITH ar AS (
    SELECT array_agg(ar_number) AS numbers FROM de_ar
    WHERE tnt_inst_id = $1 AND ar_type = $2
  )
  SELECT ar.numbers IS NOT NULL AS "arrangementFound", page.*
  FROM ar LEFT JOIN LATERAL (
    SELECT r.rel_id AS "relId", r.pd_code AS "productCode", r.pd_name AS "productName",
           (SELECT p.pd_org_name FROM de_prod p WHERE p.tnt_inst_id = r.tnt_inst_id AND p.pd_code = r.pd_code) AS "productOrgName",
           r.gmt_create AS "openedAt"
    FROM unnest(ar.numbers) AS n(ar_no)
    CROSS JOIN LATERAL (
      SELECT * FROM de_user_ar_rel r
      WHERE r.tnt_inst_id = $1 AND r.user_id = $3 AND r.ar_no = n.ar_no`
const LIST_TAIL = `
      ORDER BY r.rel_id DESC
      LIMIT $4
    ) r
    ORDER BY r.rel_id DESC
    LIMIT $4
  ) page ON true`

/** listDeductions, first page. $1 tenant, $2 arrangement type, $3 user, $4 page size + 1 */
export const LIST_FIRST_PAGE = `${LIST_HEAD}${LIST_TAIL}`
/** listDeductions, a later page. … $5 the last rel_id of the previous page */
export const LIST_LATER_PAGE = `${LIST_HEAD}
        AND r.rel_id < $5${LIST_TAIL}`

/** openDeduction. $1 tenant, $2 arrangement type, $3 product, $4 user, $5 rel id, $6 session, $7 device */
export const OPEN_DEDUCTION = `
  WITH ar AS (
    SELECT ar_number, ar_name FROM de_ar
    WHERE tnt_inst_id = $1 AND ar_type = $2 AND ar_status = '2'
    ORDER BY ar_version DESC, ar_number DESC LIMIT 1
  ), pd AS (
    SELECT pd_code, pd_name FROM de_prod WHERE tnt_inst_id = $1 AND pd_code = $3
  ), rel AS (
    INSERT INTO de_user_ar_rel (tnt_inst_id, rel_id, user_id, pd_code, pd_name, ar_name, ar_no, gmt_create, gmt_modified)
    SELECT $1, $5, $4, pd.pd_code, pd.pd_name, ar.ar_name, ar.ar_number, now(), now()
    FROM ar, pd
    ON CONFLICT (tnt_inst_id, user_id, pd_code, ar_no) DO NOTHING
    RETURNING pd_code, ar_no
  ), ev AS (
    INSERT INTO de_user_ar_event (tnt_inst_id, user_id, pd_code, ar_no, action, outcome_code, session_id, device, gmt_create)
    SELECT $1, $4, pd_code, ar_no, 'OPEN', '00', $6, $7, now() FROM rel
    RETURNING event_id
  )
  SELECT EXISTS (SELECT 1 FROM ar) AS "arrangementFound",
         EXISTS (SELECT 1 FROM pd) AS "productFound",
         EXISTS (SELECT 1 FROM ev) AS "done"`

/** closeDeduction. $1 tenant, $2 arrangement type, $3 product, $4 user, $5 session, $6 device */
export const CLOSE_DEDUCTION = `
  WITH ar AS (
    SELECT ar_number FROM de_ar WHERE tnt_inst_id = $1 AND ar_type = $2
  ), pd AS (
    SELECT pd_code FROM de_prod WHERE tnt_inst_id = $1 AND pd_code = $3
  ), rel AS (
    DELETE FROM de_user_ar_rel r USING ar
    WHERE r.tnt_inst_id = $1 AND r.user_id = $4
      AND r.pd_code = $3 AND r.ar_no = ar.ar_number
      AND EXISTS (SELECT 1 FROM pd)
    RETURNING r.pd_code, r.ar_no
  ), ev AS (
    INSERT INTO de_user_ar_event (tnt_inst_id, user_id, pd_code, ar_no, action, outcome_code, session_id, device, gmt_create)
    SELECT $1, $4, pd_code, ar_no, 'CLOSE', '00', $5, $6, now() FROM rel
    RETURNING event_id
  )
  SELECT EXISTS (SELECT 1 FROM ar) AS "arrangementFound",
         EXISTS (SELECT 1 FROM pd) AS "productFound",
         EXISTS (SELECT 1 FROM ev) AS "done"`

// Login has no single service statement to copy: the app takes a throttling slot,
// runs the credential and user reads, frees the slot, then a transaction that ends
// the previous session and starts the new one, the refresh token and the attempt log.
// The floor keeps what a login needs (the same tables and checks) in two statements,
// and only reads the failure count.

/** $1 tenant, $2 login key, $3 the account's throttling key (a hash of the login key) */
export const LOGIN_LOOKUP = `
  SELECT c.user_id, c.password_hash, u.user_status,
         (SELECT failures FROM de_rate_limit
          WHERE tnt_inst_id = $1 AND scope = 'account' AND throttle_key = $3 AND window_ends_at > now()) AS failures
  FROM de_user_credential c
  JOIN de_user u ON u.tnt_inst_id = c.tnt_inst_id AND u.user_id = c.user_id
  WHERE c.tnt_inst_id = $1 AND c.login_key = $2`

/**
 * Ends the user's live session and starts the new one (the unique key on live_user_id
 * still guards the outcome), with its refresh token and the attempt log.
 * $1 tenant, $2 user, $3 session id, $4 device, $5 address, $6 token hash, $7 token expiry,
 * $8 idle expiry, $9 absolute expiry, $10 refresh hash, $11 refresh expiry
 */
export const LOGIN_START_SESSION = `
  WITH ended AS (
    UPDATE de_session SET live_user_id = NULL, status = 'REVOKED', end_reason = 'REPLACED', ended_at = now(), replaced_by = $3
    WHERE tnt_inst_id = $1 AND live_user_id = $2
    RETURNING session_id
  ), started AS (
    INSERT INTO de_session (tnt_inst_id, session_id, user_id, live_user_id, channel, device, ip_address, token_hash,
                            token_expires_at, gmt_create, last_seen_at, idle_expires_at, absolute_expires_at)
    SELECT $1, $3, $2, $2, 'api', $4, $5, $6, $7, now(), now(), $8, $9
    FROM (SELECT count(*) FROM ended) e
    RETURNING session_id
  ), refresh AS (
    INSERT INTO de_refresh_token (tnt_inst_id, token_hash, session_id, expires_at)
    SELECT $1, $10, session_id, $11 FROM started
  ), attempt AS (
    INSERT INTO de_login_attempt (tnt_inst_id, user_id, session_id, channel, outcome, device, ip_address)
    SELECT $1, $2, session_id, 'api', 'SUCCESS', $4, $5 FROM started
  )
  SELECT session_id FROM started`
