// Where a sign request may send the browser back to: an origin the merchant has
// registered (merchant:return-origin:add), so a sign link is never an open redirect
// (docs/merchants.md#return-origins).

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]'])

/** The origin of an absolute http(s) URL, or undefined when it is not one. */
export function originOf(url: string): string | undefined {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return undefined
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return undefined
  return parsed.origin
}

/**
 * Why `origin` cannot be a return origin, or undefined when it can: https, or http on
 * loopback when `loopbackAllowed` (allowsLoopbackReturnOrigins(), on a demo database), and nothing after the port.
 */
export function returnOriginProblem(origin: string, loopbackAllowed: boolean): string | undefined {
  const normalised = originOf(origin)
  if (normalised === undefined || normalised !== origin.replace(/\/$/, '').toLowerCase()) {
    return 'must be an origin: https://host[:port], with no path, query or user name'
  }
  const url = new URL(normalised)
  if (url.protocol === 'https:') return undefined
  if (!LOOPBACK_HOSTS.has(url.hostname)) return 'must be https'
  return loopbackAllowed ? undefined : 'must be https (http on a loopback address only on a database marked demo)'
}

/** Why `returnUrl` is refused: not absolute http(s), a user name in it, or not at one of `registered` origins (which follow the same rules still). */
export function returnUrlProblem(returnUrl: string, registered: readonly string[], loopbackAllowed: boolean): string | undefined {
  const origin = originOf(returnUrl)
  if (origin === undefined) return 'must be an absolute https URL'
  const url = new URL(returnUrl)
  if (url.username || url.password) return 'must not carry a user name or password'
  if (!registered.includes(origin) || returnOriginProblem(origin, loopbackAllowed) !== undefined) return 'is not at one of the merchant\'s registered return origins'
  return undefined
}
