'use server'

import { revalidatePath } from 'next/cache'
import { redirect } from 'next/navigation'
import { getTranslations } from 'next-intl/server'
import { z } from 'zod'
import { requireSession } from '@/lib/auth/session-guard'
import { formText } from '@/lib/forms/action-envelope'
import type { FormState } from '@/lib/forms/form-state'
import { confirmSignRequest } from '@/lib/signing/confirm-sign-request'
import { declineSignRequest } from '@/lib/signing/decline-sign-request'
import type { SignerOutcome } from '@/lib/signing/signer-outcome'
import { describeFailure } from '@/app/actions/describe-failure'
import { formAction, formStateRefusals } from '@/app/actions/form-action'

/** The sign page's form state: why nothing changed (the browser leaves for the merchant when something did). */
export type SignFormState = FormState

// the link's token: 43 base64url characters as issued; anything longer is no link of ours
const signForm = z.object({ token: formText(128) })

async function act(run: typeof confirmSignRequest, formData: unknown): Promise<SignFormState> {
  return formAction(signForm, formStateRefusals, (form) => answer(run, form))(formData)
}

async function answer(run: typeof confirmSignRequest, { token }: z.output<typeof signForm>): Promise<SignFormState> {
  const { actor } = await requireSession(`/sign/${encodeURIComponent(token)}`)
  let outcome: SignerOutcome
  try {
    outcome = await run(actor, token)
  } catch (error) {
    return describeFailure(error)
  }
  // ended here: back to the merchant, with signRequestId and signStatus on its returnUrl
  if (outcome.changed) redirect(outcome.returnTo)
  // nothing changed: say why; the page now shows where the request stands
  revalidatePath(`/sign/${token}`)
  const t = await getTranslations('sign')
  return { ok: false, message: t(outcome.signedByOther ? 'finishedByOther' : `finished.${outcome.status}`) }
}

export async function confirmSignAction(_prev: SignFormState, formData: unknown): Promise<SignFormState> {
  return act(confirmSignRequest, formData)
}

export async function declineSignAction(_prev: SignFormState, formData: unknown): Promise<SignFormState> {
  return act(declineSignRequest, formData)
}
