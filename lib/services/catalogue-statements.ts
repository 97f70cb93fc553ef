// The SQL of the catalogue and of one service's detail (which the merchant's query of
// an agreement reads too), as parameterised text ($1, $2, …): the services run it and
// so do the benchmark's floor and its EXPLAIN step, so none of them can drift from
// the others. Each statement is independent of the others' answers, so a call sends
// its statements together rather than one after another.

const ARRANGEMENT_COLUMNS = `
    ar_number AS "number", ar_name AS "name", ar_version AS "version", ar_type AS "type",
    ar_status AS "status", properties`

/** The catalogue's arrangement: the newest in force of the type. */
const ARRANGEMENT_IN_FORCE = `
    SELECT ${ARRANGEMENT_COLUMNS} FROM de_ar
    WHERE tnt_inst_id = $1 AND ar_type = $2 AND ar_status = $3
    ORDER BY ar_version DESC, ar_number DESC
    LIMIT 1`

/** listCatalogue: the arrangement (no row: none in force). $1 tenant, $2 arrangement type, $3 the status in force */
export const CATALOGUE_ARRANGEMENT = ARRANGEMENT_IN_FORCE

/**
 * listCatalogue: the tenant's products by code, each marked when the user has it open
 * under the catalogue's arrangement. $1–$3 as CATALOGUE_ARRANGEMENT, $4 user, $5 how many
 */
export const CATALOGUE_PRODUCTS = `
  WITH ar AS (${ARRANGEMENT_IN_FORCE}
  )
  SELECT p.pd_code AS "code", p.pd_name AS "name", p.pd_org_name AS "orgName", p.pd_desc AS "description",
         p.pd_code IN (
           SELECT r.pd_code FROM de_user_ar_rel r
           WHERE r.tnt_inst_id = $1 AND r.user_id = $4 AND r.ar_no = (SELECT "number" FROM ar)
         ) AS "opened"
  FROM de_prod p
  WHERE p.tnt_inst_id = $1
  ORDER BY p.pd_code
  LIMIT $5`

const ARRANGEMENTS_OF_TYPE = `SELECT ${ARRANGEMENT_COLUMNS} FROM de_ar WHERE tnt_inst_id = $1 AND ar_type = $2`

/** getDeduction: every arrangement of the type, by status then newest version first. $1 tenant, $2 arrangement type */
export const ARRANGEMENTS_BY_STATUS = `${ARRANGEMENTS_OF_TYPE}
  ORDER BY ar_status ASC, ar_version DESC`

/** queryAgreement: every arrangement of the type, newest version first. $1 tenant, $2 arrangement type */
export const ARRANGEMENTS_BY_VERSION = `${ARRANGEMENTS_OF_TYPE}
  ORDER BY ar_version DESC, ar_number DESC`

/** One product (no row: none). $1 tenant, $2 product */
export const PRODUCT_BY_CODE = `
  SELECT pd_code AS "code", pd_name AS "name", pd_org_name AS "orgName", pd_desc AS "description"
  FROM de_prod WHERE tnt_inst_id = $1 AND pd_code = $2`

/**
 * The user's open service of the product under an arrangement of the type, the
 * newest if there are several (no row: not open).
 * $1 tenant, $2 arrangement type, $3 user, $4 product
 */
export const RELATION_OF_TYPE = `
  SELECT r.gmt_create AS "createdAt", r.ar_no AS "arrangementNo", r.property_values AS "propertyValues"
  FROM de_user_ar_rel r
  WHERE r.tnt_inst_id = $1 AND r.user_id = $3 AND r.pd_code = $4
    AND r.ar_no IN (SELECT ar_number FROM de_ar WHERE tnt_inst_id = $1 AND ar_type = $2)
  ORDER BY r.rel_id DESC
  LIMIT 1`

/**
 * getDeduction: the history of the user's service of the product under arrangements
 * of the type: its latest events, at most $5, oldest first (a long history shows how it
 * stands now, not how it began). $1 tenant, $2 arrangement type, $3 user, $4 product
 */
export const HISTORY_OF_TYPE = `
  SELECT h.action, h."outcomeCode", h."createdAt", h.device, h."propertyValues", h."actorType", h.reason
  FROM (
    SELECT e.event_id, e.action, e.outcome_code AS "outcomeCode", e.gmt_create AS "createdAt", e.device,
           e.property_values AS "propertyValues", e.actor_type AS "actorType", e.reason
    FROM de_user_ar_event e
    WHERE e.tnt_inst_id = $1 AND e.user_id = $3 AND e.pd_code = $4
      AND e.ar_no IN (SELECT ar_number FROM de_ar WHERE tnt_inst_id = $1 AND ar_type = $2)
    ORDER BY e.event_id DESC
    LIMIT $5
  ) h
  ORDER BY h.event_id`

/** The rows of the statements above, as the driver returns them. */
export type ArrangementRow = { number: string; name: string; version: string; type: string; status: string; properties: string | null }
export type ProductRow = { code: string; name: string; orgName: string; description: string }
export type CatalogueProductRow = ProductRow & { opened: boolean }
export type RelationRow = { createdAt: Date; arrangementNo: string; propertyValues: string | null }
export type HistoryRow = {
  action: string
  outcomeCode: string
  createdAt: Date
  device: string | null
  propertyValues: string | null
  actorType: string
  reason: string | null
}
