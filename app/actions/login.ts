'use server'

import { cookies } from 'next/headers'
import { redirect } from 'next/navigation'
import { z } from 'zod'
import { loginWeb } from '@/lib/auth/login'
import { safeReturnPath } from '@/lib/auth/return-path'
import { sealSessionCookie, sessionCookieName, sessionCookieOptions } from '@/lib/auth/web-cookie'
import { RELEASE_BUCKET_COOKIE, releaseBucket, releaseBucketCookieOptions } from '@/lib/release/bucket'
import { formText } from '@/lib/forms/action-envelope'
import type { FormState } from '@/lib/forms/form-state'
import { clientInfo } from '@/app/actions/client-info'
import { describeFailure } from '@/app/actions/describe-failure'
import { formAction, formStateRefusals } from '@/app/actions/form-action'

// bounds of the envelope only: the login's own rules check the values
const loginForm = z.object({ email: formText(1024), password: formText(1024), next: formText(2048).optional() })

const signIn = formAction(loginForm, formStateRefusals, async (form): Promise<FormState> => {
  let session: { id: string; userId: string }
  try {
    session = await loginWeb({ loginKey: form.email, password: form.password, client: await clientInfo() })
  } catch (error) {
    return describeFailure(error)
  }
  const jar = await cookies()
  jar.set(sessionCookieName(), await sealSessionCookie(session), sessionCookieOptions())
  // from now on nginx sends this browser to the user's version (lib/release/bucket.ts)
  jar.set(RELEASE_BUCKET_COOKIE, releaseBucket(session.userId), releaseBucketCookieOptions())
  redirect(safeReturnPath(form.next))
})

export async function loginAction(_prev: FormState, formData: unknown): Promise<FormState> {
  return signIn(formData)
}
