import { setTimeout as delay } from 'node:timers/promises'
import { prisma } from '@/lib/db'
import { config } from '@/lib/config'
import { DomainError, ResultCode } from '@/lib/errors'

// Login attempts are counted per account (a hash of the login key) and per client
// address, in the database so that every app instance sees the same counts.
// Unknown login keys are counted exactly like known ones: the answer reveals
// nothing extra.
//
// An attempt takes a slot in both counters BEFORE its password is checked, with
// one atomic upsert per counter that grants the slot only while failures plus
// checks in flight stay under the limit. Concurrent attempts therefore cannot all
// pass: at most LOGIN_MAX_FAILURES password checks per account (ten times as many
// per address, which may carry many people: NAT, offices) fail or run in a window.
// Afterwards:
// - a wrong password or an unknown user turns its slots into failures, which stay
//   counted until the window (LOGIN_BLOCK_SECONDS from the first attempt) ends;
// - a success frees its slots and clears nothing: failures already counted stay,
//   so the owner signing in does not reset an attacker's count;
// - an attempt that finds the slots taken by checks still running waits for them
//   (a burst of right passwords all get in, a few at a time), and answers 05 once
//   the failures alone reach the limit.
// A process that dies mid-check leaves its slot taken until the window ends.

type Scope = 'account' | 'address'
type Slot = { scope: Scope; key: string; windowEndsMs: number }

/** The slots an attempt holds while its password is checked. */
export type LoginReservation = { slots: Slot[] }

// How often a waiting attempt looks again, and for how long at most before it
// answers 05 (slots left taken by a process that died would otherwise hold it).
const RETRY_MS = 25
const MAX_WAIT_MS = 5000

const limitOf = (scope: Scope) => config().LOGIN_MAX_FAILURES * (scope === 'account' ? 1 : 10)

/** Takes a slot, or returns null when the counter has none free. */
async function take(scope: Scope, key: string): Promise<Slot | null> {
  const { FC_TENANT_ID: tenantId, LOGIN_BLOCK_SECONDS } = config()
  // Window ends are kept to the millisecond and carried as epoch milliseconds, so
  // that freeing a slot names its window exactly, whatever the session's time zone.
  const rows = await prisma.$queryRaw<{ windowEndsMs: number }[]>`
    INSERT INTO de_rate_limit AS r (tnt_inst_id, scope, throttle_key, failures, in_flight, window_ends_at)
    VALUES (${tenantId}, ${scope}, ${key}, 0, 1, date_trunc('milliseconds', now() + ${LOGIN_BLOCK_SECONDS}::int * interval '1 second'))
    ON CONFLICT (tnt_inst_id, scope, throttle_key) DO UPDATE SET
      failures = CASE WHEN r.window_ends_at <= now() THEN 0 ELSE r.failures END,
      in_flight = CASE WHEN r.window_ends_at <= now() THEN 1 ELSE r.in_flight + 1 END,
      window_ends_at = CASE WHEN r.window_ends_at <= now() THEN EXCLUDED.window_ends_at ELSE r.window_ends_at END
    WHERE r.window_ends_at <= now() OR r.failures + r.in_flight < ${limitOf(scope)}::int
    RETURNING (extract(epoch FROM window_ends_at) * 1000)::float8 AS "windowEndsMs"`
  return rows.length ? { scope, key, windowEndsMs: rows[0].windowEndsMs } : null
}

/** Seconds until the counter's window ends when its failures alone use up the limit, else null. */
async function blockedFor(scope: Scope, key: string): Promise<number | null> {
  const rows = await prisma.$queryRaw<{ secondsLeft: number }[]>`
    SELECT ceil(extract(epoch FROM window_ends_at - now()))::int AS "secondsLeft" FROM de_rate_limit
    WHERE tnt_inst_id = ${config().FC_TENANT_ID} AND scope = ${scope} AND throttle_key = ${key}
      AND window_ends_at > now() AND failures >= ${limitOf(scope)}::int`
  return rows.length ? Math.max(1, rows[0].secondsLeft) : null
}

/**
 * Takes a slot for the account and one for the address. Throws code 05, with the
 * seconds to wait, when either counter's failures have used up its limit.
 */
export async function reserveLoginAttempt(throttleKey: string, ip: string | undefined): Promise<LoginReservation> {
  const wanted: [Scope, string][] = [['account', throttleKey]]
  if (ip) wanted.push(['address', ip])
  const deadline = Date.now() + MAX_WAIT_MS
  for (;;) {
    // one counter after the other, always the account first, each take atomic;
    // a slot taken is given back when the other counter has none
    const slots: Slot[] = []
    for (const [scope, key] of wanted) {
      const slot = await take(scope, key)
      if (!slot) break
      slots.push(slot)
    }
    if (slots.length === wanted.length) return { slots }
    await free(slots, 'unused')
    const blocked = (await Promise.all(wanted.map(([scope, key]) => blockedFor(scope, key)))).filter((s): s is number => s !== null)
    if (blocked.length) throw new DomainError(ResultCode.TOO_MANY_ATTEMPTS, { retryAfterSeconds: Math.max(...blocked) })
    if (Date.now() > deadline) throw new DomainError(ResultCode.TOO_MANY_ATTEMPTS, { retryAfterSeconds: 1 })
    await delay(RETRY_MS + Math.random() * RETRY_MS)
  }
}

/** The password check failed (wrong password, unknown or disabled user): its slots become failures. */
export const recordFailedLogin = (reservation: LoginReservation) => free(reservation.slots, 'failed')

/** The password check succeeded: its slots are freed and count nothing. */
export const recordSuccessfulCheck = (reservation: LoginReservation) => free(reservation.slots, 'unused')

/** A slot of a window that has ended since is not freed in the next one, which never counted it. */
async function free(slots: Slot[], outcome: 'failed' | 'unused'): Promise<void> {
  const tenantId = config().FC_TENANT_ID
  const failed = outcome === 'failed' ? 1 : 0
  for (const { scope, key, windowEndsMs } of slots) {
    await prisma.$executeRaw`
      UPDATE de_rate_limit SET in_flight = in_flight - 1, failures = failures + ${failed}::int
      WHERE tnt_inst_id = ${tenantId} AND scope = ${scope} AND throttle_key = ${key}
        AND window_ends_at = timestamptz 'epoch' + ${windowEndsMs}::bigint * interval '1 millisecond' AND in_flight > 0`
  }
}
