import { setTimeout as delay } from 'node:timers/promises'
import { runStatement } from '@/lib/db'
import { config } from '@/lib/config'
import { throttleNetwork } from '@/lib/http/client-address'
import { DomainError, ResultCode } from '@/lib/errors'
import { endLoginWithoutSession as endWithoutSession } from '@/lib/db/statements/end-login-without-session'
import type { SlotParameters } from '@/lib/db/statements/login-slots'
import { reserveLogin } from '@/lib/db/statements/reserve-login'

// Login attempts are counted per account (a hash of the login key) and per client
// address (an IPv6 client per network: THROTTLE_IPV6_PREFIX), in the database so that every app instance sees the same counts.
// Unknown login keys are counted exactly like known ones: the answer reveals
// nothing extra.
//
// An attempt takes a slot in both counters BEFORE its password is checked, with
// one atomic upsert per counter that grants the slot only while failures plus
// checks in flight stay under the limit. Concurrent attempts therefore cannot all
// pass: at most LOGIN_MAX_FAILURES password checks per account (ten times as many
// per address, which may carry many people: NAT, offices) fail or run in a window.
// Both upserts and the credential read are one statement (lib/db/statements/reserve-login.ts), the
// login's first round trip. Afterwards:
// - a wrong password or an unknown user turns its slots into failures, which stay
//   counted until the window (LOGIN_BLOCK_SECONDS from the first attempt) ends;
// - a success frees its slots and clears nothing: failures already counted stay,
//   so the owner signing in does not reset an attacker's count;
// - an attempt that finds the slots taken by checks still running waits for them
//   (a burst of right passwords all get in, a few at a time), and answers 05 once
//   the failures alone reach the limit.
// Freeing the slots rides in the statement that ends the login (lib/auth/sessions.ts
// for a success). A process that dies mid-check leaves its slot taken until the
// window ends.

/**
 * The slots an attempt holds while its password is checked: the window each belongs to, as
 * epoch ms. `address` is the address counter's key: an IPv4 address or an IPv6 network.
 */
export type LoginReservation = { accountKey: string; accountWindowEndsMs: number; address?: string; addressWindowEndsMs?: number }

/** The credential found for the login key, read in the reservation's statement. */
export type StoredCredential = { userId: string; passwordHash: string; userStatus: string | null }

// How often a waiting attempt looks again, and for how long at most before it
// answers 05 (slots left taken by a process that died would otherwise hold it).
const RETRY_MS = 25
const MAX_WAIT_MS = 5000

// an address may carry many people (NAT, offices): ten times an account's limit
const ADDRESS_LIMIT_FACTOR = 10

/** What the attempts table records of a login besides its outcome. */
export type AttemptContext = { channel: 'web' | 'api'; device: string; ipAddress?: string }

/** An attempt that ends without a session, as recorded. */
export type FailedAttempt = AttemptContext & { outcome: 'WRONG_PASSWORD' | 'UNKNOWN_USER' | 'THROTTLED'; userId?: string }

/**
 * Takes a slot for the account and one for the client's address, and reads the
 * credential, in one statement. Throws code 05, with the seconds to wait, when
 * either counter's failures have used up its limit (the attempt is recorded as
 * THROTTLED in the statement that gives back a slot already taken).
 */
export async function reserveLoginAttempt(
  accountKey: string,
  loginKey: string,
  attempt: AttemptContext,
): Promise<{ reservation: LoginReservation; credential: StoredCredential | null }> {
  const { FC_TENANT_ID: tenantId, LOGIN_BLOCK_SECONDS, LOGIN_MAX_FAILURES, THROTTLE_IPV6_PREFIX } = config()
  // the counter's key: the address, or for IPv6 its network; the attempt records the address itself
  const address = attempt.ipAddress === undefined ? undefined : throttleNetwork(attempt.ipAddress, THROTTLE_IPV6_PREFIX)
  const deadline = Date.now() + MAX_WAIT_MS
  for (;;) {
    const [row] = await reserveLogin.run(runStatement, {
      tenantId,
      accountKey,
      address: address ?? null,
      windowSeconds: LOGIN_BLOCK_SECONDS,
      accountLimit: LOGIN_MAX_FAILURES,
      addressLimit: LOGIN_MAX_FAILURES * ADDRESS_LIMIT_FACTOR,
      loginKey,
    })
    const accountGranted = row.accountWindowEndsMs !== null
    const reservation: LoginReservation = {
      accountKey,
      accountWindowEndsMs: row.accountWindowEndsMs ?? 0,
      address,
      addressWindowEndsMs: row.addressWindowEndsMs ?? undefined,
    }
    if (accountGranted && (address === undefined || row.addressWindowEndsMs !== null)) {
      const credential = row.userId && row.passwordHash ? { userId: row.userId, passwordHash: row.passwordHash, userStatus: row.userStatus } : null
      return { reservation, credential }
    }
    const blocked = row.blockedSeconds === null ? null : Math.max(1, row.blockedSeconds)
    const throttled = blocked !== null || Date.now() > deadline
    // an account slot granted beside a refused address slot is given back
    if (accountGranted || throttled) {
      await endLoginWithoutSession(accountGranted ? reservation : undefined, 'unused', throttled ? { ...attempt, outcome: 'THROTTLED' } : undefined)
    }
    if (throttled) throw new DomainError(ResultCode.TOO_MANY_ATTEMPTS, { retryAfterSeconds: blocked ?? 1 })
    await delay(RETRY_MS + Math.random() * RETRY_MS)
  }
}

/**
 * Ends a login that starts no session, in one statement: the slots it holds (if
 * any) become failures ('failed') or count nothing ('unused'), and the attempt is
 * recorded when given.
 */
export async function endLoginWithoutSession(reservation: LoginReservation | undefined, slots: 'failed' | 'unused', attempt?: FailedAttempt): Promise<void> {
  await endWithoutSession.run(runStatement, {
    ...slotParameters(reservation, slots),
    userId: attempt?.userId ?? null,
    outcome: attempt?.outcome ?? null,
    channel: attempt?.channel ?? '',
    device: attempt?.device ?? '',
    ipAddress: attempt?.ipAddress ?? null,
  })
}

/** The values that free a login's slots (lib/db/statements/login-slots.ts). */
export function slotParameters(reservation: LoginReservation | undefined, slots: 'failed' | 'unused'): SlotParameters {
  return {
    tenantId: config().FC_TENANT_ID,
    accountKey: reservation?.accountKey ?? '',
    accountWindowEndsMs: reservation ? reservation.accountWindowEndsMs : null,
    address: reservation?.address ?? null,
    addressWindowEndsMs: reservation?.addressWindowEndsMs ?? null,
    failed: slots === 'failed' ? 1 : 0,
  }
}
