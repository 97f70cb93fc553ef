import 'server-only'
import { cache } from 'react'
import { cookies } from 'next/headers'
import { redirect } from 'next/navigation'
import { lookupWebSession, loginUrl, type WebSession, type WebSessionLookup } from '@/lib/auth/web-session-lookup'
import { sessionCookieName } from '@/lib/auth/web-cookie'

export type { WebSession }

// One check per request, however many components ask (React cache)
const lookup = cache(async (): Promise<WebSessionLookup> => lookupWebSession((await cookies()).get(sessionCookieName())?.value))

export async function getSession(): Promise<WebSession | null> {
  return (await lookup()).session
}

/** The signed-in session, or a redirect to login that comes back to `returnTo` (and says why, when it was ended elsewhere). */
export async function requireSession(returnTo: string): Promise<WebSession> {
  const result = await lookup()
  if (result.session) return result.session
  redirect(loginUrl(returnTo, result.problem))
}

export type LoginElsewhere = { at?: Date; device?: string }

/**
 * The login that ended this browser's session, as the database knows it, when the
 * session named by the browser's signed cookie was ended by a login on another
 * device; otherwise null.
 */
export async function loginElsewhere(): Promise<LoginElsewhere | null> {
  const result = await lookup()
  if (result.session || result.problem?.kind !== 'ended' || result.problem.reason !== 'REPLACED') return null
  return { at: result.problem.replacedBy?.at, device: result.problem.replacedBy?.device }
}

/**
 * How this browser's session ended (de_session.end_reason), by its own signed cookie,
 * for the login page's notice after a live sign-out; null while it is live or when
 * the browser names no session.
 */
export async function sessionEndReason(): Promise<string | null> {
  const result = await lookup()
  if (result.session || result.problem?.kind !== 'ended') return null
  return result.problem.reason
}
