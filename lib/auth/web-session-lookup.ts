import { runStatement } from '@/lib/db'
import { config } from '@/lib/config'
import { webSession } from '@/lib/db/statements/web-session'
import type { Actor } from '@/lib/auth/actor'
import { checkSession, type SessionProblem } from '@/lib/auth/sessions'
import { openSessionCookie } from '@/lib/auth/web-cookie'

export type WebSession = { actor: Actor; user: { id: string; name: string; email: string } }
export type WebSessionLookup = { session: WebSession } | { session: null; problem?: SessionProblem }

/**
 * The browser's session by the value of its session cookie, checked as every page and
 * form checks it: the session and the user's name and login key in one statement
 * (lib/db/statements/web-session.ts), then the live / expiry / touch rules
 * (lib/auth/sessions.ts). Free of Next's request context, so the server's own
 * handlers (lib/http/sign-form.ts) read a session exactly as pages do.
 */
export async function lookupWebSession(cookie: string | undefined): Promise<WebSessionLookup> {
  if (!cookie) return { session: null }
  const sessionId = await openSessionCookie(cookie)
  if (!sessionId) return { session: null }
  const [row] = await webSession.run(runStatement, { tenantId: config().FC_TENANT_ID, sessionId })
  const check = await checkSession(row ?? null)
  if (!check.ok) return { session: null, problem: check.problem }
  const { actor } = check
  return { session: { actor, user: { id: actor.userId, name: row.userName ?? '', email: row.loginKey ?? '' } } }
}

/**
 * The login page's address that comes back to `returnTo`. Only the reason goes in the
 * URL: the device and time of the login elsewhere are read on the login page from this
 * browser's own (signed) cookie and the database, so a crafted link cannot make the
 * page say anything.
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
