// The throttling counters' SQL that a login's statements share (reserve-login.ts,
// end-login-without-session.ts, start-login-session.ts). A login that succeeds is two
// statements, one before its password is checked and one after
// (docs/architecture.md#a-login-in-two-statements); no transaction or connection is
// held while the password is hashed.

/** The values that free a login's slots: its counters, their windows, and whether they count as failures. */
export type SlotParameters = {
  tenantId: string
  accountKey: string
  /** the account counter's window end (epoch ms) the slot was taken in, or null when none was */
  accountWindowEndsMs: number | null
  address: string | null
  addressWindowEndsMs: number | null
  /** 1: the slots become failures; 0: they count nothing */
  failed: 0 | 1
}

// A counter's window end as epoch milliseconds (and back): freeing a slot names its
// window exactly, whatever the session's time zone.
export const WINDOW_ENDS_MS = `(extract(epoch FROM window_ends_at) * 1000)::float8`
const windowEndingAt = (ms: string) => `timestamptz 'epoch' + ${ms}::bigint * interval '1 millisecond'`

/**
 * Gives back the slots an attempt holds, as failures (:failed = 1) or as nothing
 * (:failed = 0). A slot of a window that has ended since is not freed in the next
 * one, which never counted it.
 */
const freeSlot = (scope: 'account' | 'address', key: string, windowEndsMs: string, after = '') => `
    UPDATE de_rate_limit SET in_flight = in_flight - 1, failures = failures + :failed::int
    WHERE tnt_inst_id = :tenantId AND scope = '${scope}' AND throttle_key = ${key}
      AND window_ends_at = ${windowEndingAt(windowEndsMs)} AND in_flight > 0${after}
    RETURNING 1`
// One key lookup per counter (an OR of the two would let the planner read every
// counter of the tenant). Every statement locks the counters in one order, the
// account's then the address's, and before anything else (the order of the
// sub-statements of one statement is otherwise the planner's): the address's
// waits on the account's through the subquery, and so does what follows.
export const FREE_SLOTS = `
  freed_account AS (${freeSlot('account', ':accountKey', ':accountWindowEndsMs')}
  ), freed_address AS (${freeSlot('address', ':address::text', ':addressWindowEndsMs', '\n      AND (SELECT count(*) FROM freed_account) >= 0')}
  )`
export const AFTER_FREED_SLOTS = `(SELECT count(*) FROM freed_address) >= 0`
