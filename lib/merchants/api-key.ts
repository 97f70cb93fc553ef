import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'

// A merchant API key is a key id (in clear, names the row) and a secret of 256
// random bits, shown once. Only the SHA-256 of the secret is stored: with 256 bits
// of entropy no guess list can reach it, so a slow hash (argon2) would add tens of
// milliseconds to every merchant call and no safety (docs/merchants.md#credentials).
// The same reasoning as the users' API tokens (lib/auth/tokens.ts).

export const KEY_ID = /^mk_[0-9a-f]{24}$/
export const KEY_SECRET = /^mks_[A-Za-z0-9_-]{43}$/

export const newKeyId = () => `mk_${randomBytes(12).toString('hex')}`
export const newKeySecret = () => `mks_${randomBytes(32).toString('base64url')}`
export const hashKeySecret = (secret: string) => createHash('sha256').update(secret, 'utf8').digest('hex')

/** Whether `secret` is the one whose hash is stored, in time independent of where they differ. */
export function secretMatches(secret: string, storedHash: string): boolean {
  const a = Buffer.from(hashKeySecret(secret), 'hex')
  const b = Buffer.from(storedHash, 'hex')
  return a.length === b.length && timingSafeEqual(a, b)
}

/** `Bearer <keyId>.<secret>` → its parts, or undefined when the header is not a merchant key. */
export function parseMerchantAuthorization(header: string | null | undefined): { keyId: string; secret: string } | undefined {
  const match = /^Bearer\s+([^.\s]+)\.(\S+)\s*$/i.exec(header ?? '')
  if (!match) return undefined
  const [, keyId, secret] = match
  return KEY_ID.test(keyId) && KEY_SECRET.test(secret) ? { keyId, secret } : undefined
}
