import { randomBytes } from 'node:crypto'
import type http from 'node:http'

// Answers that are not pages (the API, probes) load nothing and may not be framed.
const NON_PAGE_CSP = "default-src 'none'; frame-ancestors 'none'"

/**
 * A page's policy: scripts only with this response's nonce (Next reads it from the
 * request's own CSP header and puts it on every script it renders), and whatever
 * those load ('strict-dynamic'): no 'unsafe-inline' for scripts. Styles keep
 * 'unsafe-inline': React writes style attributes, which a nonce cannot cover.
 */
function pagePolicy(nonce: string, dev: boolean): string {
  return [
    "default-src 'self'",
    // React's development build evaluates code for its stack traces
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ')
}

/**
 * The browser protections every answer of the HTTP port carries; HSTS once the site
 * is served over HTTPS (PUBLIC_URL). A page also gets a fresh nonce, passed to Next
 * in the request's own CSP header.
 */
export function protect(req: http.IncomingMessage, res: http.ServerResponse, options: { page: boolean; https: boolean; dev: boolean }) {
  res.setHeader('x-content-type-options', 'nosniff')
  res.setHeader('x-frame-options', 'DENY')
  res.setHeader('referrer-policy', 'strict-origin-when-cross-origin')
  res.setHeader('cross-origin-opener-policy', 'same-origin')
  res.setHeader('permissions-policy', 'camera=(), microphone=(), geolocation=(), payment=()')
  if (options.https) res.setHeader('strict-transport-security', 'max-age=31536000; includeSubDomains')
  if (!options.page) return res.setHeader('content-security-policy', NON_PAGE_CSP)
  const policy = pagePolicy(randomBytes(16).toString('base64'), options.dev)
  req.headers['content-security-policy'] = policy
  res.setHeader('content-security-policy', policy)
}
