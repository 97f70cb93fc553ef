'use server'

import { cookies } from 'next/headers'
import { redirect } from 'next/navigation'
import { z } from 'zod'
import { getSession } from '@/lib/auth/session-guard'
import { endSession } from '@/lib/auth/sessions'
import { sessionCookieName } from '@/lib/auth/web-cookie'
import { formAction } from '@/app/actions/form-action'

// the sign-out form has no fields of its own
const signOutForm = z.object({})

// a sign-out that is not one of ours leaves the visitor where the button is
const backToDevices = () => redirect('/devices')

const signOut = formAction(signOutForm, { malformed: backToDevices, crossOrigin: backToDevices }, async (): Promise<void> => {
  const session = await getSession()
  if (session) await endSession(session.actor.sessionId, 'LOGOUT')
  ;(await cookies()).delete(sessionCookieName())
  redirect('/login')
})

export async function signOutAction(formData?: unknown): Promise<void> {
  return signOut(formData)
}
