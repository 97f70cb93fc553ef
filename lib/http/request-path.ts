/**
 * The server picks a request's door (the API, a probe, the sign-out stream or a page)
 * from its path, and Next resolves the path again afterwards. Were the two to read one
 * path differently, `/api/../login` would pass as the API (no origin check) and be
 * answered by the login page. So only canonical paths are let in: no dot segments
 * (`.`, `..`, nor `%2e` in either case), no encoded slash or backslash, no backslash,
 * no empty segment, no malformed percent-encoding (which Next would fail to decode, with
 * a 500). Browsers resolve all of these before they send a request, so a page or a call of
 * ours never needs one.
 */
export type RequestPath = { path: string } | { refused: string }

// RFC 9112 absolute-form (`POST http://host/path`): the path is what follows the authority
const ABSOLUTE_FORM = /^[A-Za-z][A-Za-z\d+.-]*:\/\/[^/?#]*/

function decodes(path: string): boolean {
  try {
    decodeURIComponent(path)
    return true
  } catch {
    return false
  }
}

export function requestPath(target: string): RequestPath {
  const path = target.replace(ABSOLUTE_FORM, '').split('?', 1)[0] || '/'
  if (!path.startsWith('/')) return { refused: 'the path must start with /' }
  if (/\\|%5c/i.test(path)) return { refused: 'a backslash in the path' }
  if (/%2f/i.test(path)) return { refused: 'an encoded slash in the path' }
  if (path.includes('%') && !decodes(path)) return { refused: 'a malformed percent-encoding in the path' }
  const segments = path.slice(1).split('/')
  for (const [i, segment] of segments.entries()) {
    const dots = segment.replace(/%2e/gi, '.')
    if (dots === '.' || dots === '..') return { refused: 'a dot segment in the path' }
    // a trailing slash is an empty last segment, which Next redirects away
    if (segment === '' && i < segments.length - 1) return { refused: 'an empty segment (//) in the path' }
  }
  return { path }
}
