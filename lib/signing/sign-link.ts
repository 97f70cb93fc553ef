import { createHash, createHmac, randomBytes } from 'node:crypto'
import { config } from '@/lib/config'

// A sign request's id (sr_ and 24 hex digits, random: ids say nothing about how many
// requests there are) and its link's token. The token is 256 bits, an HMAC of the id
// under the deployment's AUTH_SECRET, and only its SHA-256 is stored: the database
// alone cannot give a link away, and a replayed CreateSignRequest can answer the
// same signUrl again without the token being kept anywhere
// (docs/merchants.md#the-sign-link).

export const SIGN_REQUEST_ID = /^sr_[0-9a-f]{24}$/
const TOKEN = /^[A-Za-z0-9_-]{43}$/

export const newSignRequestId = () => `sr_${randomBytes(12).toString('hex')}`

export const signToken = (tenantId: string, signRequestId: string) =>
  createHmac('sha256', config().authSecret).update(`fcdeduction.sign-link:${tenantId}:${signRequestId}`, 'utf8').digest('base64url')

export const hashSignToken = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex')

/** Whether `token` has the shape of a sign link's token (anything else is not looked up). */
export const isSignToken = (token: string) => TOKEN.test(token)

/** The address the user opens: the sign page under the deployment's public URL. */
export const signUrl = (token: string) => new URL(`/sign/${token}`, config().publicUrl).toString()

/** The merchant's returnUrl with the outcome added: signRequestId and signStatus. */
export function returnAddress(returnUrl: string, signRequestId: string, signStatus: string): string {
  const url = new URL(returnUrl)
  url.searchParams.set('signRequestId', signRequestId)
  url.searchParams.set('signStatus', signStatus)
  return url.toString()
}
