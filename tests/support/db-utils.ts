// Data makers for the test suites: users (with a login), browser sessions,
// merchants and agreements, written straight into the database the process is
// configured for (DATABASE_URL, or PGLITE_DIR: while the app's server owns an
// embedded database, through the socket it shares it on, lib/db/client.ts).
// Every maker makes something new and unique, so each test owns what it uses and
// tests can run side by side without signing one another out.
import { randomBytes, randomInt } from 'node:crypto'
import { closeDatabase, prisma, runStatement } from '@/lib/db'
import { config } from '@/lib/config'
import { hashPassword } from '@/lib/auth/password'
import { startSession } from '@/lib/auth/sessions'
import { sealSessionCookie, sessionCookieName } from '@/lib/auth/web-cookie'
import { newUserId } from '@/lib/admin/create-user'
import { newMerchantId } from '@/lib/admin/merchants'
import { hashKeySecret, newKeyId, newKeySecret } from '@/lib/merchants/api-key'
import { openWithValues } from '@/lib/agreements/open-agreement'
import type { TermValues } from '@/lib/agreements/arrangement-terms'

/** The password of every user made here (the login rule accepts it). */
export const TEST_PASSWORD = 'correct horse battery staple'

export type TestUser = { userId: string; email: string; password: string; name: string }

// argon2id costs tens of milliseconds: one hash per password per process
const hashes = new Map<string, Promise<string>>()
const hashOf = (password: string) => {
  if (!hashes.has(password)) hashes.set(password, hashPassword(password))
  return hashes.get(password)!
}

/** A unique e-mail address; `label` says in failures whose it is. */
export const uniqueEmail = (label = 'user') => `${label.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${randomBytes(6).toString('hex')}@example.com`

/** A new user with a login (e-mail and TEST_PASSWORD unless given), active, in the configured tenant. */
export async function createUser(fields: Partial<Omit<TestUser, 'userId'>> & { label?: string } = {}): Promise<TestUser> {
  const tenantId = config().FC_TENANT_ID
  const user = {
    userId: newUserId(),
    email: fields.email ?? uniqueEmail(fields.label),
    password: fields.password ?? TEST_PASSWORD,
    name: fields.name ?? `Test ${fields.label ?? 'user'}`,
  }
  const passwordHash = await hashOf(user.password)
  await prisma.$transaction([
    prisma.user.create({ data: { tenantId, id: user.userId, name: user.name, type: 'PERSONAL' } }),
    prisma.credential.create({ data: { tenantId, loginKey: user.email, userId: user.userId, passwordHash } }),
  ])
  return user
}

/** `count` new users, made one after the other (the embedded database's socket is one connection). */
export async function createUsers(count: number, label = 'user'): Promise<TestUser[]> {
  const users: TestUser[] = []
  for (let i = 0; i < count; i++) users.push(await createUser({ label: `${label}-${i + 1}` }))
  return users
}

export type TestSession = { sessionId: string; cookie: { name: string; value: string } }

/**
 * A live browser session of the user, started as a login starts it (one statement
 * that ends the user's previous session: the one-live-session rule), and the cookie
 * that carries it: next-auth's sealed JWT naming the session, under the cookie name
 * the site uses for its PUBLIC_URL. Needs the server's AUTH_SECRET.
 */
export async function createWebSession(user: Pick<TestUser, 'userId'>, device = 'Chrome 130 · Linux'): Promise<TestSession> {
  const session = await startSession({ userId: user.userId, channel: 'web', device })
  return { sessionId: session.id, cookie: { name: sessionCookieName(), value: await sealSessionCookie(session) } }
}

export type TestMerchantKey = { merchantId: string; keyId: string; secret: string; authorization: string }

/**
 * A new merchant holding `products` (each product has at most one merchant), with
 * an API key and, when given, return origins for its sign requests.
 */
export async function createMerchant(
  options: { name?: string; products?: string[]; returnOrigins?: string[] } = {},
): Promise<TestMerchantKey> {
  const tenantId = config().FC_TENANT_ID
  const merchantId = newMerchantId()
  const keyId = newKeyId()
  const secret = newKeySecret()
  await prisma.$transaction([
    prisma.merchant.create({ data: { tenantId, id: merchantId, name: options.name ?? `Test merchant ${randomInt(1_000_000)}` } }),
    ...(options.products ?? []).map((productCode) => prisma.merchantProduct.create({ data: { tenantId, productCode, merchantId } })),
    prisma.merchantCredential.create({ data: { tenantId, keyId, merchantId, secretHash: hashKeySecret(secret) } }),
    ...(options.returnOrigins ?? []).map((origin) => prisma.merchantReturnOrigin.create({ data: { tenantId, merchantId, origin } })),
  ])
  return { merchantId, keyId, secret, authorization: `Bearer ${keyId}.${secret}` }
}

/**
 * Opens an agreement (a deduction service) for the user as the app opens one,
 * through the same statement and checks, recorded as done by `session` (or by a
 * session named "test" when none is given). Resolves with the agreement's id.
 */
export async function openAgreement(
  user: Pick<TestUser, 'userId'>,
  target: { productCode: string; arrangementType?: string; values?: TermValues },
  session: { sessionId: string; device?: string } = { sessionId: 'test' },
): Promise<string> {
  const actor = { tenantId: config().FC_TENANT_ID, userId: user.userId, sessionId: session.sessionId, device: session.device ?? 'test' }
  const { agreementId } = await openWithValues(runStatement, actor, { arrangementType: target.arrangementType ?? 'Deduction', productCode: target.productCode }, target.values ?? {})
  return agreementId
}

/**
 * Brings a sign request's expiry forward to now, so that a test sees a link run out
 * without waiting out the shortest expiry a merchant may ask for (a minute): the next
 * read of the request ends it as EXPIRED, as it would have at the minute's end.
 */
export async function expireSignRequestNow(signRequestId: string): Promise<void> {
  const { count } = await prisma.signRequest.updateMany({ where: { tenantId: config().FC_TENANT_ID, id: signRequestId }, data: { expireAt: new Date() } })
  if (count !== 1) throw new Error(`no sign request ${signRequestId} to expire`)
}

/** Closes this process's connection: on the embedded database, frees its folder for the server. */
export const closeTestDatabase = closeDatabase
