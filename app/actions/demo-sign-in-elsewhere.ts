'use server'

import { getTranslations } from 'next-intl/server'
import { z } from 'zod'
import { clientInfo } from '@/app/actions/client-info'
import { describeFailure } from '@/app/actions/describe-failure'
import { formAction, formStateRefusals } from '@/app/actions/form-action'
import { getSession } from '@/lib/auth/session-guard'
import { NotDemoDatabaseError } from '@/lib/db/database-mark'
import { DemoRefusedError, signInFromAnotherDevice } from '@/lib/demo/sign-in-elsewhere'
import { DomainError, ResultCode } from '@/lib/errors'
import { formText } from '@/lib/forms/action-envelope'
import type { FormState } from '@/lib/forms/form-state'
import { logger } from '@/lib/observability/logger'

/**
 * The devices page's demo tool (demo mode only): signs the signed-in demo account in
 * from the chosen phone, which ends this browser's session by the single-device rule.
 * Outside demo mode, or on a database not marked demo, it is refused here too, not only
 * left off the page.
 */
const demoForm = z.object({ device: formText(128) })

const signInElsewhere = formAction(demoForm, formStateRefusals, async (form): Promise<FormState> => {
  const t = await getTranslations('devices.demo')
  const session = await getSession()
  if (!session) return { ok: false, code: ResultCode.NOT_LOGGED_IN, message: (await getTranslations('codes'))(ResultCode.NOT_LOGGED_IN) }
  try {
    const { ip } = await clientInfo()
    const done = await signInFromAnotherDevice({ loginKey: session.user.email, phone: form.device, ip })
    return { ok: true, code: ResultCode.OK, message: t('done', { device: done.device }) }
  } catch (error) {
    if (error instanceof DemoRefusedError) return { ok: false, message: t(error.reason) }
    if (error instanceof NotDemoDatabaseError) {
      // the operator learns which database; the visitor only that the tool is off
      logger.warn({ event: 'demo-refused', database: error.database, mark: error.mark }, error.message)
      return { ok: false, message: t('demoModeOff') }
    }
    if (error instanceof DomainError && error.code === ResultCode.INVALID_ARGUMENT) return { ok: false, code: error.code, message: t('unknownDevice') }
    return describeFailure(error)
  }
})

export async function demoSignInElsewhereAction(_prev: FormState, formData: unknown): Promise<FormState> {
  return signInElsewhere(formData)
}
