import 'server-only'
import { cache } from 'react'
import { cookies } from 'next/headers'
import { redirect } from 'next/navigation'
import { runStatement } from '@/lib/db'
import { config } from '@/lib/config'
import { webSession } from '@/lib/db/statements/web-session'
import type { Actor } from '@/lib/auth/actor'
import { checkSession, type SessionProblem } from '@/lib/auth/sessions'
import { openSessionCookie, sessionCookieName } from '@/lib/auth/web-cookie'

export type WebSession = { actor: Actor; user: { id: string; name: string; email: string } }
type Lookup = { session: WebSession } | { session: null; problem?: SessionProblem }

// One check per request, however many components ask (React cache): the session and
// the user's name and login key in one statement (lib/db/statements/web-session.ts).
const lookup = cache(async (): Promise<Lookup> => {
  const raw = (await cookies()).get(sessionCookieName())?.value
  if (!raw) return { session: null }
  const sessionId = await openSessionCookie(raw)
  if (!sessionId) return { session: null }
  const [row] = await webSession.run(runStatement, { tenantId: config().FC_TENANT_ID, sessionId })
  const check = await checkSession(row ?? null)
  if (!check.ok) return { session: null, problem: check.problem }
  const { actor } = check
  return { session: { actor, user: { id: actor.userId, name: row.userName ?? '', email: row.loginKey ?? '' } } }
})

export async function getSession(): Promise<WebSession | null> {
  return (await lookup()).session
}

/** The signed-in session, or a redirect to login that comes back to `returnTo` (and says why, when it was ended elsewhere). */
export async function requireSession(returnTo: string): Promise<WebSession> {
  const result = await lookup()
  if (result.session) return result.session
  redirect(loginUrl(returnTo, result.problem))
}

/**
 * Only the reason goes in the URL: the device and time of the login elsewhere are read
 * on the login page from this browser's own (signed) cookie and the database, so a
 * crafted link cannot make the page say anything.
 */
export function loginUrl(returnTo: string, problem?: SessionProblem): string {
  const params = new URLSearchParams({ next: returnTo })
  if (problem?.kind === 'ended' && problem.reason === 'REPLACED') {
    params.set('reason', 'elsewhere')
  } else if (problem?.kind === 'expired') {
    params.set('reason', 'expired')
  }
  return `/login?${params}`
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
