import { DEDUCTION } from '@/lib/agreements/arrangement-types'

// Their own module, so client components can import them without the card's server-side translations.

const typeQuery = (arrangementType: string) => (arrangementType === DEDUCTION ? '' : `?type=${encodeURIComponent(arrangementType)}`)

/** An agreement's page; an arrangement type other than the deduction one rides along as `?type=`. */
export const agreementHref = (code: string, arrangementType: string = DEDUCTION) => `/services/${encodeURIComponent(code)}${typeQuery(arrangementType)}`

/** An agreement's close confirmation. */
export const closeHref = (code: string, arrangementType: string = DEDUCTION) =>
  `/services/${encodeURIComponent(code)}/close${typeQuery(arrangementType)}`
