import type { NextAuthOptions } from 'next-auth'
import CredentialsProvider from 'next-auth/providers/credentials'
import { config } from '@/lib/config'
import { loginWeb } from '@/lib/auth/login'
import { endSession } from '@/lib/auth/sessions'
import { sessionCookieName, sessionCookieOptions } from '@/lib/auth/web-cookie'

declare module 'next-auth/jwt' {
  interface JWT {
    sid?: string
  }
}

/**
 * next-auth with the JWT strategy: the JWT carries only the session id; the
 * session row is checked on every request (lib/auth/session-guard.ts), which is
 * what lets a login elsewhere end this one.
 */
export function authOptions(): NextAuthOptions {
  const c = config()
  return {
    secret: c.authSecret,
    session: { strategy: 'jwt', maxAge: c.SESSION_ABSOLUTE_SECONDS },
    pages: { signIn: '/login' },
    cookies: { sessionToken: { name: sessionCookieName(), options: sessionCookieOptions() } },
    providers: [
      CredentialsProvider({
        credentials: { email: { type: 'email' }, password: { type: 'password' } },
        async authorize(credentials, req) {
          const headers = (req.headers ?? {}) as Record<string, string | undefined>
          try {
            const session = await loginWeb({
              loginKey: credentials?.email,
              password: credentials?.password,
              client: { userAgent: headers['user-agent'], ip: headers['x-forwarded-for']?.split(',')[0]?.trim() },
            })
            return { id: session.userId, sid: session.id }
          } catch {
            return null
          }
        },
      }),
    ],
    callbacks: {
      jwt({ token, user }) {
        if (user) return { sub: user.id, sid: (user as { sid?: string }).sid }
        return token
      },
    },
    events: {
      async signOut({ token }) {
        if (token?.sid) await endSession(token.sid, 'LOGOUT')
      },
    },
    // a revoked or expired session is an expected outcome, not an error to print
    logger: { error() {}, warn() {}, debug() {} },
  }
}
