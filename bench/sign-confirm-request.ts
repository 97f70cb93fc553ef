// The sign page's confirm as a browser sends it: the page's script posts the confirm
// form to its own address (/sign/<token>/confirm, answered by lib/http/sign-form.ts)
// with Accept: application/json, the same-origin Origin and Sec-Fetch-Site the browser
// adds, and the session cookie; the form has no fields, the token is in the address.
// Success is what the script acts on: JSON naming the merchant's returnUrl with
// signStatus=SIGNED.
import { signFormPath } from '../lib/signing/sign-form-path'

export type ConfirmRequest = { method: 'POST'; path: string; headers: Record<string, string>; body: string }

/** One confirm of the request behind `token`, by the user whose signed session cookie is `cookie`. */
export function confirmRequest(origin: string, cookie: string, token: string): ConfirmRequest {
  return {
    method: 'POST',
    path: signFormPath(token, 'confirm'),
    headers: { accept: 'application/json', origin, 'sec-fetch-site': 'same-origin', cookie },
    body: '',
  }
}

/** Whether the answer sends the browser back to the merchant with the request SIGNED. */
export function confirmSucceeded(status: number, body: string): boolean {
  if (status !== 200) return false
  try {
    const { redirect } = JSON.parse(body) as { redirect?: unknown }
    return typeof redirect === 'string' && new URL(redirect).searchParams.get('signStatus') === 'SIGNED'
  } catch {
    return false
  }
}
