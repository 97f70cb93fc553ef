import { decode, encode } from 'next-auth/jwt'
import { config } from '@/lib/config'

declare module 'next-auth/jwt' {
  interface JWT {
    sid?: string
  }
}

// next-auth's own cookie names and flags: HttpOnly, SameSite=Lax, and Secure
// with the __Secure- prefix when the site is served over HTTPS (PUBLIC_URL).
export const secureCookies = () => config().publicUrl.startsWith('https://')
export const sessionCookieName = () => `${secureCookies() ? '__Secure-' : ''}next-auth.session-token`

export const sessionCookieOptions = () => ({
  httpOnly: true,
  sameSite: 'lax' as const,
  path: '/',
  secure: secureCookies(),
  maxAge: config().SESSION_ABSOLUTE_SECONDS,
})

/**
 * The cookie's value: next-auth's encrypted JWT, carrying only the session id. It
 * proves nothing by itself: the session row is checked on every request
 * (lib/auth/session-guard.ts), which is what lets a login elsewhere end this one.
 */
export async function sealSessionCookie(session: { id: string; userId: string }): Promise<string> {
  const { authSecret, SESSION_ABSOLUTE_SECONDS } = config()
  return encode({ token: { sub: session.userId, sid: session.id }, secret: authSecret, maxAge: SESSION_ABSOLUTE_SECONDS })
}

/** The session id a cookie names, or null when it was not sealed by this site or has run out. */
export async function openSessionCookie(value: string): Promise<string | null> {
  const jwt = await decode({ token: value, secret: config().authSecret }).catch(() => null)
  return jwt?.sid ?? null
}
