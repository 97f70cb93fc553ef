import { DomainError, ResultCode } from '@/lib/errors'
import { verifyPassword } from '@/lib/auth/password'
import { describeDevice, type ClientInfo } from '@/lib/auth/client-info'
import { hashToken } from '@/lib/auth/tokens'
import { endLoginWithoutSession, reserveLoginAttempt, type AttemptContext, type LoginReservation } from '@/lib/auth/throttle'
import { USER_STATUS_ACTIVE, type Channel } from '@/lib/auth/sessions'
import { loginSchema } from '@/lib/validation/login'
import { parseInput } from '@/lib/validation/parse'

export type LoginOutcome = 'SUCCESS' | 'WRONG_PASSWORD' | 'UNKNOWN_USER' | 'THROTTLED'

/** A login whose password was right: it still holds its throttling slots, which starting its session frees. */
export type CheckedLogin = { userId: string; device: string; reservation: LoginReservation }

/**
 * The checks every login runs, in order (docs/product.md#order-of-checks): field values (10), throttling (05),
 * then unknown user (01) or wrong password (02). The attempt takes its slots and
 * reads the credential in one statement before its password is checked
 * (lib/auth/throttle.ts); the hash is checked with no connection held. The same
 * argon2 work is done whether or not the account exists. A refusal frees the slots
 * and records the attempt in one more statement.
 */
export async function verifyCredentials(input: { loginKey: unknown; password: unknown }, channel: Channel, client: ClientInfo): Promise<CheckedLogin> {
  const { loginKey, loginValue } = parseInput(loginSchema, { loginKey: input.loginKey, loginValue: input.password })
  const attempt: AttemptContext = { channel, device: client.device ?? describeDevice(client.userAgent), ipAddress: client.ip }
  // the counters are keyed by a hash so that no e-mail address sits in the throttling table
  const { reservation, credential } = await reserveLoginAttempt(hashToken(loginKey), loginKey, attempt)

  let passwordOk: boolean
  try {
    passwordOk = await verifyPassword(credential?.passwordHash, loginValue)
  } catch (error) {
    // the check itself failed: the slots are freed if the database still answers
    await endLoginWithoutSession(reservation, 'unused').catch(() => {})
    throw error
  }

  // a disabled user is, for login, a user that does not exist
  if (!credential || credential.userStatus !== USER_STATUS_ACTIVE) {
    await endLoginWithoutSession(reservation, 'failed', { ...attempt, outcome: 'UNKNOWN_USER' })
    throw new DomainError(ResultCode.USER_NOT_FOUND)
  }
  if (!passwordOk) {
    await endLoginWithoutSession(reservation, 'failed', { ...attempt, outcome: 'WRONG_PASSWORD', userId: credential.userId })
    throw new DomainError(ResultCode.WRONG_CREDENTIALS)
  }
  return { userId: credential.userId, device: attempt.device, reservation }
}
