'use server'

import { revalidatePath } from 'next/cache'
import { getTranslations } from 'next-intl/server'
import { requireSession } from '@/lib/auth/session-guard'
import { openDeduction } from '@/lib/services/open-deduction'
import { closeDeduction } from '@/lib/services/close-deduction'
import { DEDUCTION } from '@/lib/services/arrangement-types'
import { ResultCode } from '@/lib/errors'
import { isSameOrigin } from '@/lib/forms/same-origin'
import type { FormState } from '@/lib/forms/form-state'
import { describeFailure } from '@/app/actions/describe-failure'

type Change = typeof openDeduction

async function changeService(change: Change, returnTo: string, formData: FormData): Promise<FormState> {
  if (!(await isSameOrigin())) {
    const t = await getTranslations('actions')
    return { ok: false, message: t('forbiddenOrigin') }
  }
  const { actor } = await requireSession(returnTo)
  try {
    await change(actor, { arrangementType: DEDUCTION, productCode: formData.get('productCode'), userId: actor.userId })
  } catch (error) {
    return describeFailure(error)
  }
  revalidatePath('/services', 'layout')
  const t = await getTranslations('codes')
  return { ok: true, code: ResultCode.OK, message: t(ResultCode.OK) }
}

export async function openServiceAction(_prev: FormState, formData: FormData): Promise<FormState> {
  return changeService(openDeduction, '/services/open', formData)
}

export async function closeServiceAction(_prev: FormState, formData: FormData): Promise<FormState> {
  return changeService(closeDeduction, '/services', formData)
}
