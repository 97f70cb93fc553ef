// The SQL of listing, opening and closing deduction services, as parameterised text
// ($1, $2, …): the services in this folder run it and so do the benchmark's floor and
// its EXPLAIN step, so none of them can drift from the others.

const LIST_HEAD = `
  WITH ar AS (
    SELECT array_agg(ar_number) AS numbers FROM de_ar
    WHERE tnt_inst_id = $1 AND ar_type = $2
  )
  SELECT ar.numbers IS NOT NULL AS "arrangementFound", page.*
  FROM ar LEFT JOIN LATERAL (
    SELECT r.rel_id AS "relId", r.pd_code AS "productCode", r.pd_name AS "productName",
           (SELECT p.pd_org_name FROM de_prod p WHERE p.tnt_inst_id = r.tnt_inst_id AND p.pd_code = r.pd_code) AS "productOrgName",
           r.gmt_create AS "openedAt", r.ar_no AS "arrangementNo", r.property_values AS "propertyValues"
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

/** listDeductions, a later page. $1–$4 as the first page, $5 the last rel_id of the previous page */
export const LIST_LATER_PAGE = `${LIST_HEAD}
        AND r.rel_id < $5${LIST_TAIL}`

/**
 * openDeduction. $1 tenant, $2 arrangement type, $3 product, $4 user, $5 rel id,
 * $6 session, $7 device, $8 the arrangement status in force, $9 the arrangement
 * whose terms the values were checked against (NULL: the newest in force), $10 the
 * term values as JSON (NULL: none)
 */
export const OPEN_DEDUCTION = `
  WITH ar AS (
    SELECT ar_number, ar_name FROM de_ar
    WHERE tnt_inst_id = $1 AND ar_type = $2 AND ar_status = $8
      AND ($9::varchar IS NULL OR ar_number = $9::varchar)
    ORDER BY ar_version DESC, ar_number DESC LIMIT 1
  ), pd AS (
    SELECT pd_code, pd_name FROM de_prod WHERE tnt_inst_id = $1 AND pd_code = $3
  ), rel AS (
    INSERT INTO de_user_ar_rel (tnt_inst_id, rel_id, user_id, pd_code, pd_name, ar_name, ar_no, property_values, gmt_create, gmt_modified)
    SELECT $1, $5, $4, pd.pd_code, pd.pd_name, ar.ar_name, ar.ar_number, $10::varchar, now(), now()
    FROM ar, pd
    ON CONFLICT (tnt_inst_id, user_id, pd_code, ar_no) DO NOTHING
    RETURNING pd_code, ar_no, property_values
  ), ev AS (
    INSERT INTO de_user_ar_event (tnt_inst_id, user_id, pd_code, ar_no, action, outcome_code, session_id, device, property_values, gmt_create)
    SELECT $1, $4, pd_code, ar_no, 'OPEN', '00', $6, $7, property_values, now() FROM rel
    RETURNING event_id
  )
  SELECT EXISTS (SELECT 1 FROM ar) AS "arrangementFound",
         EXISTS (SELECT 1 FROM pd) AS "productFound",
         EXISTS (SELECT 1 FROM ev) AS "changed"`

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
         EXISTS (SELECT 1 FROM ev) AS "changed"`
