'use server'

import { cookies } from 'next/headers'
import { redirect } from 'next/navigation'
import { getSession } from '@/lib/auth/session-guard'
import { endSession } from '@/lib/auth/sessions'
import { sessionCookieName } from '@/lib/auth/web-cookie'
import { isSameOrigin } from '@/lib/forms/same-origin'

export async function signOutAction(): Promise<void> {
  if (!(await isSameOrigin())) redirect('/devices')
  const session = await getSession()
  if (session) await endSession(session.actor.sessionId, 'LOGOUT')
  ;(await cookies()).delete(sessionCookieName())
  redirect('/login')
}
