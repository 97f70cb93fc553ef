// Which arrangement of a type is "the newest": the highest version, ties broken by
// the number. Every statement that picks one arrangement of a type orders by this,
// so the rule is written once.

/** ORDER BY terms over de_ar columns: the newest first. */
export const NEWEST_FIRST = 'ar_version DESC, ar_number DESC'

/**
 * ORDER BY terms for the arrangement a user's agreement is described by: its own
 * (`ownNumber`, an SQL expression, NULL when not open), else the newest in force
 * (`:inForce`), else the newest of any status.
 */
export const SHOWN_FIRST = (ownNumber: string) =>
  `(ar_number = ${ownNumber}) IS TRUE DESC, (ar_status = :inForce) DESC, ${NEWEST_FIRST}`
