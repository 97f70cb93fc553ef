import { createHash } from 'node:crypto'

// The data encryption keys (DATA_ENCRYPTION_KEY, DATA_ENCRYPTION_PREVIOUS_KEYS): AES-256
// keys that seal the secrets the app must be able to read back (docs/operations.md#the-data-encryption-key).

export const DATA_KEY_BYTES = 32

export type DataKey = { id: string; key: Buffer }
/** The current key seals; every key, current or previous, opens what it sealed. */
export type Keyring = { current: DataKey; byId: ReadonlyMap<string, DataKey> }

/**
 * A key's id, stored beside every value it seals so that the right key opens it
 * after a rotation: derived from the key, so it cannot be mislabelled in the
 * configuration. 48 bits of a hash say nothing usable about a 256-bit key.
 */
export const dataKeyId = (key: Buffer) => createHash('sha256').update('fcdeduction data key\0').update(key).digest('hex').slice(0, 12)

/** 32 bytes written as 64 hex digits or as base64 (padded or not, standard or URL alphabet); undefined for anything else. */
export function parseDataKey(text: string): Buffer | undefined {
  const value = text.trim()
  if (/^[0-9a-fA-F]{64}$/.test(value)) return Buffer.from(value, 'hex')
  if (!/^[A-Za-z0-9+/_-]{43}=?$/.test(value)) return undefined
  const key = Buffer.from(value.replace(/-/g, '+').replace(/_/g, '/'), 'base64')
  // base64 with stray low bits in its last digit decodes as well: only the canonical form is one key
  return key.length === DATA_KEY_BYTES && key.toString('base64').replace(/=$/, '') === value.replace(/-/g, '+').replace(/_/g, '/').replace(/=$/, '') ? key : undefined
}

export function keyringOf(current: Buffer, previous: readonly Buffer[] = []): Keyring {
  const toKey = (key: Buffer): DataKey => ({ id: dataKeyId(key), key })
  const currentKey = toKey(current)
  const byId = new Map([...previous.map(toKey), currentKey].map((k) => [k.id, k]))
  return { current: currentKey, byId }
}
