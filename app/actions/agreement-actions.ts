'use server'

import { revalidatePath } from 'next/cache'
import { z } from 'zod'
import { getTranslations } from 'next-intl/server'
import { requireSession } from '@/lib/auth/session-guard'
import { openAgreement } from '@/lib/agreements/open-agreement'
import { closeAgreement } from '@/lib/agreements/close-agreement'
import { changeAgreement } from '@/lib/agreements/change-agreement'
import { DEDUCTION } from '@/lib/agreements/arrangement-types'
import { ResultCode } from '@/lib/errors'
import type { FormState } from '@/lib/forms/form-state'
import { describeFailure } from '@/app/actions/describe-failure'
import { TERM_FIELD_PREFIX } from '@/lib/forms/term-fields'
import { formText } from '@/lib/forms/action-envelope'
import { formAction, formStateRefusals } from '@/app/actions/form-action'

type Change = typeof openAgreement

// the other fields are the terms' values (`term.<key>`), at most the length of property_values
const agreementForm = z
  .object({ productCode: formText(64), arrangementType: formText(64).optional(), idempotencyKey: formText(256).optional() })
  .catchall(formText(2048))

/** The form's `term.<key>` fields as the values of the arrangement's terms; the domain checks them. */
function termValues(fields: Record<string, string | undefined>): Record<string, unknown> {
  const values: Record<string, unknown> = {}
  for (const [name, value] of Object.entries(fields)) {
    if (name.startsWith(TERM_FIELD_PREFIX)) values[name.slice(TERM_FIELD_PREFIX.length)] = value
  }
  return values
}

async function actOnAgreement(change: Change, returnTo: string, formData: unknown, options: { withTerms?: boolean; idempotent?: boolean } = {}): Promise<FormState> {
  return formAction(agreementForm, formStateRefusals, (form) => applyChange(change, returnTo, form, options))(formData)
}

async function applyChange(
  change: Change,
  returnTo: string,
  form: z.output<typeof agreementForm>,
  options: { withTerms?: boolean; idempotent?: boolean },
): Promise<FormState> {
  const { actor } = await requireSession(returnTo)
  try {
    await change(
      actor,
      {
        // the arrangement type of the page the form is on; the deduction arrangement unless it says otherwise
        arrangementType: form.arrangementType ?? DEDUCTION,
        productCode: form.productCode,
        userId: actor.userId,
        ...(options.withTerms ? { propertyValues: termValues(form) } : {}),
      },
      { idempotencyKey: options.idempotent ? form.idempotencyKey : undefined },
    )
  } catch (error) {
    return describeFailure(error)
  }
  revalidatePath('/services', 'layout')
  const t = await getTranslations('codes')
  return { ok: true, code: ResultCode.OK, message: t(ResultCode.OK) }
}

export async function openAgreementAction(_prev: FormState, formData: unknown): Promise<FormState> {
  return actOnAgreement(openAgreement, '/services/open', formData, { withTerms: true })
}

export async function closeAgreementAction(_prev: FormState, formData: unknown): Promise<FormState> {
  return actOnAgreement(closeAgreement, '/services', formData)
}

/** Changes an open agreement's changeable terms; the form carries an Idempotency-Key, so a resent form changes once. */
export async function changeAgreementAction(_prev: FormState, formData: unknown): Promise<FormState> {
  return actOnAgreement(changeAgreement, '/services', formData, { withTerms: true, idempotent: true })
}
