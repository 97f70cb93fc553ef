import { randomBytes } from 'node:crypto'

/**
 * A Standard Webhooks signing secret: `whsec_` and 32 random bytes in base64, the
 * form every Standard Webhooks library takes. It is stored as it is, since the
 * sender needs it to sign; it is shown to the operator once, when made.
 */
export const newSigningSecret = () => `whsec_${randomBytes(32).toString('base64')}`
