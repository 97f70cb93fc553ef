import { randomBytes } from 'node:crypto'
import type { Keyring } from '@/lib/sealing/data-keys'
import { openValue, sealValue, type Sealed } from '@/lib/sealing/sealed-value'

/**
 * A Standard Webhooks signing secret: `whsec_` and 32 random bytes in base64, the
 * form every Standard Webhooks library takes. It cannot be hashed, since the sender
 * signs with it: it is stored sealed with the data encryption key
 * (docs/operations.md#the-data-encryption-key), and shown to the operator once, when made.
 */
export const newSigningSecret = () => `whsec_${randomBytes(32).toString('base64')}`

type Endpoint = { tenantId: string; merchantId: string }

// the current and the previous secret share it: a rotation moves the sealed value from one column to the other
const context = ({ tenantId, merchantId }: Endpoint) => `de_webhook_endpoint signing secret ${tenantId} ${merchantId}`

export const sealSigningSecret = (keyring: Keyring, secret: string, endpoint: Endpoint): Sealed => sealValue(keyring, secret, context(endpoint))

export const openSigningSecret = (keyring: Keyring, sealed: Sealed, endpoint: Endpoint): string => openValue(keyring, sealed, context(endpoint))
