const FALLBACK = '/services'
// Stands for this site while the value is resolved. Only relative references keep
// it, so any value that names a host (even ours, spelled absolutely) falls back.
const THIS_SITE = 'http://this-site.invalid'
// what URL parsing drops before it reads a scheme: leading controls and spaces, tabs and newlines anywhere
const DROPPED = /^[\u0000-\u0020]+|[\t\n\r]/g
const SCHEME = /^[a-z][a-z\d+.-]*:/i

/**
 * Where to go after login: a path of this site, or /services. The value is read as
 * the browser will read it (a URL resolved against this site, which drops tabs and
 * newlines and takes backslashes for slashes), and only what stays on this site
 * survives, re-serialised so the browser cannot read it differently. Never back to
 * login itself.
 */
export function safeReturnPath(value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') return FALLBACK
  // a scheme makes it an absolute URL, whatever our own scheme turns out to be
  // (resolved against http, 'http:host' would pass as a path; a browser on https reads a host)
  if (SCHEME.test(value.replace(DROPPED, ''))) return FALLBACK
  let url: URL
  try {
    url = new URL(value, THIS_SITE)
  } catch {
    return FALLBACK
  }
  if (url.origin !== THIS_SITE) return FALLBACK
  // a path starting with two slashes would be read as another host once it is a Location
  if (url.pathname.startsWith('//')) return FALLBACK
  if (url.pathname === '/login' || url.pathname === '/login/') return FALLBACK
  return `${url.pathname}${url.search}${url.hash}`
}
