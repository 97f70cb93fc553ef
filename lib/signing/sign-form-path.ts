import { ResultCode } from '@/lib/errors'

// The sign page's two buttons post to addresses of their own under the page's
// (lib/http/sign-form.ts answers them); the router and the page's forms share them here.
export const SIGN_VERBS = ['confirm', 'decline'] as const
export type SignVerb = (typeof SIGN_VERBS)[number]

const SIGN_FORM_PATH = /^\/sign\/([^/]+)\/(confirm|decline)$/

/** Where the sign page's `verb` button posts. */
export const signFormPath = (token: string, verb: SignVerb) => `/sign/${encodeURIComponent(token)}/${verb}`

/** The token and verb of a sign form's address, or null for any other path. */
export function signFormTarget(pathname: string): { token: string; verb: SignVerb } | null {
  const match = SIGN_FORM_PATH.exec(pathname)
  if (!match) return null
  try {
    return { token: decodeURIComponent(match[1]), verb: match[2] as SignVerb }
  } catch {
    return null
  }
}

/** The sign page's query parameter naming the code a form posted without script failed with. */
export const signFormFailure = 'failed'

const CODES = new Set<string>(Object.values(ResultCode).filter((code) => code !== ResultCode.OK))

/** The failure a `failed` parameter names: a result code other than 00, else nothing. */
export function failureOf(value: unknown): Exclude<ResultCode, '00'> | null {
  return typeof value === 'string' && CODES.has(value) ? (value as Exclude<ResultCode, '00'>) : null
}
