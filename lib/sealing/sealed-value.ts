import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import type { Keyring } from '@/lib/sealing/data-keys'

// AES-256-GCM from node:crypto. A sealed value is base64 of nonce | ciphertext | tag,
// with the id of the key that sealed it kept beside it. The context (what the value
// is, and whose) is authenticated too: a sealed value copied to another row does not open.
const NONCE_BYTES = 12
const TAG_BYTES = 16

export type Sealed = { sealed: string; keyId: string }

export class SealedValueError extends Error {
  override name = 'SealedValueError'
}

export function sealValue(keyring: Keyring, plain: string, context: string): Sealed {
  const nonce = randomBytes(NONCE_BYTES)
  const cipher = createCipheriv('aes-256-gcm', keyring.current.key, nonce, { authTagLength: TAG_BYTES })
  cipher.setAAD(Buffer.from(context))
  const sealed = Buffer.concat([nonce, cipher.update(plain, 'utf8'), cipher.final(), cipher.getAuthTag()])
  return { sealed: sealed.toString('base64'), keyId: keyring.current.id }
}

/** The plain value; SealedValueError when its key is not configured or it does not open (altered, or another row's). */
export function openValue(keyring: Keyring, { sealed, keyId }: Sealed, context: string): string {
  const key = keyring.byId.get(keyId)
  if (!key) throw new SealedValueError(`sealed with data key ${keyId}, which is not configured (DATA_ENCRYPTION_KEY, DATA_ENCRYPTION_PREVIOUS_KEYS)`)
  const bytes = Buffer.from(sealed, 'base64')
  if (bytes.length < NONCE_BYTES + TAG_BYTES) throw new SealedValueError(`a value sealed with data key ${keyId} is cut short`)
  const decipher = createDecipheriv('aes-256-gcm', key.key, bytes.subarray(0, NONCE_BYTES), { authTagLength: TAG_BYTES })
  decipher.setAAD(Buffer.from(context))
  decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES))
  try {
    return Buffer.concat([decipher.update(bytes.subarray(NONCE_BYTES, bytes.length - TAG_BYTES)), decipher.final()]).toString('utf8')
  } catch {
    throw new SealedValueError(`a value sealed with data key ${keyId} does not open: altered, or not this row's`)
  }
}
