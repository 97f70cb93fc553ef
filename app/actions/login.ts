'use server'

import { cookies } from 'next/headers'
import { redirect } from 'next/navigation'
import { getTranslations } from 'next-intl/server'
import { z } from 'zod'
import { loginWeb } from '@/lib/auth/login'
import { safeReturnPath } from '@/lib/auth/return-path'
import { sealSessionCookie, sessionCookieName, sessionCookieOptions } from '@/lib/auth/web-cookie'
import { RELEASE_BUCKET_COOKIE, releaseBucket, releaseBucketCookieOptions } from '@/lib/release/bucket'
import { formText, readActionForm } from '@/lib/forms/action-envelope'
import { isSameOrigin } from '@/lib/forms/same-origin'
import type { FormState } from '@/lib/forms/form-state'
import { logger } from '@/lib/observability/logger'
import { metrics } from '@/lib/observability/metrics'
import { DomainError } from '@/lib/errors'
import { clientInfo } from '@/app/actions/client-info'
import { describeFailure } from '@/app/actions/describe-failure'

// bounds of the envelope only: the login's own rules check the values
const loginForm = z.object({ email: formText(1024), password: formText(1024), next: formText(2048).optional() })

export async function loginAction(_prev: FormState, formData: unknown): Promise<FormState> {
  let form: z.output<typeof loginForm>
  try {
    form = readActionForm(formData, loginForm)
  } catch (error) {
    return describeFailure(error)
  }
  if (!(await isSameOrigin())) {
    const t = await getTranslations('actions')
    return { ok: false, message: t('forbiddenOrigin') }
  }
  let session: { id: string; userId: string }
  try {
    session = await loginWeb({
      loginKey: form.email,
      password: form.password,
      client: await clientInfo(),
    })
  } catch (error) {
    if (error instanceof DomainError) {
      metrics.loginOutcomes.inc({ code: error.code })
      logger.warn({ event: 'login_failed', channel: 'web', code: error.code, loginKey: form.email }, 'login refused')
    }
    return describeFailure(error)
  }
  metrics.loginOutcomes.inc({ code: '00' })
  logger.info({ event: 'login', channel: 'web', userId: session.userId }, 'login')
  const jar = await cookies()
  jar.set(sessionCookieName(), await sealSessionCookie(session), sessionCookieOptions())
  // from now on nginx sends this browser to the user's version (lib/release/bucket.ts)
  jar.set(RELEASE_BUCKET_COOKIE, releaseBucket(session.userId), releaseBucketCookieOptions())
  redirect(safeReturnPath(form.next))
}
