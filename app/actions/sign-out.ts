'use server'

import { cookies } from 'next/headers'
import { redirect } from 'next/navigation'
import { z } from 'zod'
import { getSession } from '@/lib/auth/session-guard'
import { endSession } from '@/lib/auth/sessions'
import { sessionCookieName } from '@/lib/auth/web-cookie'
import { readActionForm } from '@/lib/forms/action-envelope'
import { isSameOrigin } from '@/lib/forms/same-origin'

// the sign-out form has no fields of its own
const signOutForm = z.object({})

export async function signOutAction(formData?: unknown): Promise<void> {
  let envelope = true
  try {
    readActionForm(formData, signOutForm)
  } catch {
    envelope = false
  }
  if (!envelope || !(await isSameOrigin())) redirect('/devices')
  const session = await getSession()
  if (session) await endSession(session.actor.sessionId, 'LOGOUT')
  ;(await cookies()).delete(sessionCookieName())
  redirect('/login')
}
