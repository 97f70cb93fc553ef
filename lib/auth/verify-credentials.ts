import { prisma } from '@/lib/db'
import { config } from '@/lib/config'
import { DomainError, ResultCode } from '@/lib/errors'
import { verifyPassword } from '@/lib/auth/password'
import { describeDevice, type ClientInfo } from '@/lib/auth/client-info'
import { hashToken } from '@/lib/auth/tokens'
import { recordFailedLogin, recordSuccessfulCheck, reserveLoginAttempt, type LoginReservation } from '@/lib/auth/throttle'
import { USER_STATUS_ACTIVE, type Channel } from '@/lib/auth/sessions'
import { loginSchema } from '@/lib/validation/login'
import { parseInput } from '@/lib/validation/parse'

export type LoginOutcome = 'SUCCESS' | 'WRONG_PASSWORD' | 'UNKNOWN_USER' | 'THROTTLED'

/**
 * The checks every login runs, in order (docs/product.md#order-of-checks): field values (10), throttling (05),
 * then unknown user (01) or wrong password (02). The attempt is counted before its
 * password is checked (lib/auth/throttle.ts). The same argon2 work is done
 * whether or not the account exists. Returns the user id.
 */
export async function verifyCredentials(
  input: { loginKey: unknown; password: unknown },
  channel: Channel,
  client: ClientInfo,
): Promise<{ userId: string; device: string }> {
  const { loginKey, loginValue } = parseInput(loginSchema, { loginKey: input.loginKey, loginValue: input.password })
  const tenantId = config().FC_TENANT_ID
  const device = client.device ?? describeDevice(client.userAgent)
  const attempt = (outcome: LoginOutcome, userId?: string) =>
    prisma.loginAttempt.create({ data: { tenantId, userId, channel, outcome, device, ipAddress: client.ip } })
  // the counters are keyed by a hash so that no e-mail address sits in the throttling table
  const throttleKey = hashToken(loginKey)

  let reservation: LoginReservation
  try {
    reservation = await reserveLoginAttempt(throttleKey, client.ip)
  } catch (error) {
    if (error instanceof DomainError) await attempt('THROTTLED')
    throw error
  }

  let checked: Awaited<ReturnType<typeof checkPassword>>
  try {
    checked = await checkPassword(tenantId, loginKey, loginValue)
  } catch (error) {
    // the database failed mid-check: the slots are freed if it still answers
    await recordSuccessfulCheck(reservation).catch(() => {})
    throw error
  }
  const { credential, user, passwordOk } = checked

  // a disabled user is, for login, a user that does not exist
  if (!credential || !user || user.status !== USER_STATUS_ACTIVE) {
    await Promise.all([recordFailedLogin(reservation), attempt('UNKNOWN_USER')])
    throw new DomainError(ResultCode.USER_NOT_FOUND)
  }
  if (!passwordOk) {
    await Promise.all([recordFailedLogin(reservation), attempt('WRONG_PASSWORD', credential.userId)])
    throw new DomainError(ResultCode.WRONG_CREDENTIALS)
  }
  await recordSuccessfulCheck(reservation)
  return { userId: credential.userId, device }
}

/** The same argon2 work whether or not the account exists. */
async function checkPassword(tenantId: string, loginKey: string, loginValue: string) {
  const credential = await prisma.credential.findUnique({
    where: { tenantId_loginKey: { tenantId, loginKey } },
    select: { userId: true, passwordHash: true },
  })
  const user = credential
    ? await prisma.user.findUnique({ where: { tenantId_id: { tenantId, id: credential.userId } }, select: { status: true } })
    : null
  const passwordOk = await verifyPassword(credential?.passwordHash, loginValue)
  return { credential, user, passwordOk }
}

export async function recordSuccessfulLogin(userId: string, sessionId: string, channel: Channel, device: string, client: ClientInfo) {
  await prisma.loginAttempt.create({
    data: { tenantId: config().FC_TENANT_ID, userId, sessionId, channel, outcome: 'SUCCESS', device, ipAddress: client.ip },
  })
}
