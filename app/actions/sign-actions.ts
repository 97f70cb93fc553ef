'use server'

import { revalidatePath } from 'next/cache'
import { getTranslations } from 'next-intl/server'
import { requireSession } from '@/lib/auth/session-guard'
import { isSameOrigin } from '@/lib/forms/same-origin'
import type { FormState } from '@/lib/forms/form-state'
import { confirmSignRequest } from '@/lib/signing/confirm-sign-request'
import { declineSignRequest } from '@/lib/signing/decline-sign-request'
import type { SignerOutcome } from '@/lib/signing/signer-outcome'
import { describeFailure } from '@/app/actions/describe-failure'

/** The sign page's form state: the outcome's message, and where the browser goes once the request has ended here. */
export type SignFormState = FormState & { returnTo?: string }

async function act(run: typeof confirmSignRequest, formData: FormData): Promise<SignFormState> {
  const t = await getTranslations('sign')
  if (!(await isSameOrigin())) return { ok: false, message: (await getTranslations('actions'))('forbiddenOrigin') }
  const token = formData.get('token')
  if (typeof token !== 'string') return { ok: false, message: t('unknownTitle') }
  const { actor } = await requireSession(`/sign/${encodeURIComponent(token)}`)
  let outcome: SignerOutcome
  try {
    outcome = await run(actor, token)
  } catch (error) {
    return describeFailure(error)
  }
  revalidatePath(`/sign/${token}`)
  if (outcome.changed) return { ok: true, message: t(outcome.status === 'SIGNED' ? 'signedNow' : 'declinedNow'), returnTo: outcome.returnTo }
  // nothing changed: say why; the page now shows where the request stands
  return { ok: false, message: t(outcome.signedByOther ? 'finishedByOther' : `finished.${outcome.status}`) }
}

export async function confirmSignAction(_prev: SignFormState, formData: FormData): Promise<SignFormState> {
  return act(confirmSignRequest, formData)
}

export async function declineSignAction(_prev: SignFormState, formData: FormData): Promise<SignFormState> {
  return act(declineSignRequest, formData)
}
