import argon2 from 'argon2'

// OWASP's argon2id baseline (m = 19 MiB, t = 2, p = 1): on two cores a hash
// costs tens of milliseconds, which bounds how fast guesses can be checked.
export const PASSWORD_HASH_OPTIONS = {
  type: argon2.argon2id,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
} as const

export const hashPassword = (password: string) => argon2.hash(password, PASSWORD_HASH_OPTIONS)

// A real hash of a random password, made once, so that an unknown login key
// costs the same verification work as a known one.
let decoyHash: Promise<string> | undefined
const decoy = () => (decoyHash ??= hashPassword(crypto.randomUUID()))

/** Verifies against the stored hash, or does the same work against a decoy when there is none. */
export async function verifyPassword(hash: string | undefined, password: string): Promise<boolean> {
  if (!hash) {
    await argon2.verify(await decoy(), password)
    return false
  }
  try {
    return await argon2.verify(hash, password)
  } catch {
    return false
  }
}
