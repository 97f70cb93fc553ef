'use server'

import { revalidatePath } from 'next/cache'
import { getTranslations } from 'next-intl/server'
import { requireSession } from '@/lib/auth/session-guard'
import { openDeduction } from '@/lib/services/open-deduction'
import { closeDeduction } from '@/lib/services/close-deduction'
import { modifyDeduction } from '@/lib/services/modify-deduction'
import { DEDUCTION } from '@/lib/services/arrangement-types'
import { ResultCode } from '@/lib/errors'
import { isSameOrigin } from '@/lib/forms/same-origin'
import type { FormState } from '@/lib/forms/form-state'
import { describeFailure } from '@/app/actions/describe-failure'
import { TERM_FIELD_PREFIX } from '@/lib/forms/term-fields'

type Change = typeof openDeduction

/** The form's `term.<key>` fields as the values of the arrangement's terms; the domain checks them. */
function termValues(formData: FormData): Record<string, unknown> {
  const values: Record<string, unknown> = {}
  for (const [name, value] of formData.entries()) {
    if (name.startsWith(TERM_FIELD_PREFIX)) values[name.slice(TERM_FIELD_PREFIX.length)] = value
  }
  return values
}

async function changeService(change: Change, returnTo: string, formData: FormData, options: { withTerms?: boolean; idempotent?: boolean } = {}): Promise<FormState> {
  if (!(await isSameOrigin())) {
    const t = await getTranslations('actions')
    return { ok: false, message: t('forbiddenOrigin') }
  }
  const { actor } = await requireSession(returnTo)
  // the arrangement type of the page the form is on; the deduction arrangement unless it says otherwise
  const arrangementType = formData.get('arrangementType') ?? DEDUCTION
  const key = formData.get('idempotencyKey')
  try {
    await change(
      actor,
      {
        arrangementType,
        productCode: formData.get('productCode'),
        userId: actor.userId,
        ...(options.withTerms ? { propertyValues: termValues(formData) } : {}),
      },
      { idempotencyKey: options.idempotent && typeof key === 'string' ? key : undefined },
    )
  } catch (error) {
    return describeFailure(error)
  }
  revalidatePath('/services', 'layout')
  const t = await getTranslations('codes')
  return { ok: true, code: ResultCode.OK, message: t(ResultCode.OK) }
}

export async function openServiceAction(_prev: FormState, formData: FormData): Promise<FormState> {
  return changeService(openDeduction, '/services/open', formData, { withTerms: true })
}

export async function closeServiceAction(_prev: FormState, formData: FormData): Promise<FormState> {
  return changeService(closeDeduction, '/services', formData)
}

/** Changes an open service's changeable terms; the form carries an Idempotency-Key, so a resent form changes once. */
export async function modifyServiceAction(_prev: FormState, formData: FormData): Promise<FormState> {
  return changeService(modifyDeduction, '/services', formData, { withTerms: true, idempotent: true })
}
