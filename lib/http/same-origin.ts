/**
 * A state-changing request from a browser must come from one of our pages: a browser
 * always sends Origin on a POST, so a missing or "null" one, a foreign one, or a
 * cross-site fetch is forged. (Next itself rejects a foreign Origin but lets a
 * missing one through.) Used by the server in front of Next and by the server actions.
 */
export function isSameOrigin(headers: { origin?: string | null; secFetchSite?: string | null; host?: string | null }): boolean {
  const { origin, secFetchSite, host } = headers
  if (!origin || origin === 'null' || secFetchSite === 'cross-site') return false
  try {
    return new URL(origin).host === host
  } catch {
    return false
  }
}
