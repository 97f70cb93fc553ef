import { config } from '@/lib/config'

// next-auth's own cookie names and flags: HttpOnly, SameSite=Lax, and Secure
// with the __Secure- prefix when the site is served over HTTPS.
export const secureCookies = () => (process.env.NEXTAUTH_URL ?? '').startsWith('https://')
export const sessionCookieName = () => `${secureCookies() ? '__Secure-' : ''}next-auth.session-token`

export const sessionCookieOptions = () => ({
  httpOnly: true,
  sameSite: 'lax' as const,
  path: '/',
  secure: secureCookies(),
  maxAge: config().SESSION_ABSOLUTE_SECONDS,
})
