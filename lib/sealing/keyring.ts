import { config } from '@/lib/config'
import { keyringOf, type Keyring } from '@/lib/sealing/data-keys'

let cached: Keyring | undefined
/** The process's keys, from the configuration (read once). */
export function dataKeyring(): Keyring {
  const { current, previous } = config().dataEncryptionKeys
  return (cached ??= keyringOf(current, previous))
}
