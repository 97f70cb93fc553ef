'use client'

import { useActionState } from 'react'
import { confirmSignAction, declineSignAction, type SignFormState } from '@/app/actions/sign-actions'
import { OutcomeMessage } from '@/components/ui/outcome-message'
import { SubmitButton } from '@/components/ui/submit-button'

const initialState: SignFormState = {}

export type SignActionsText = Record<'confirm' | 'confirming' | 'decline' | 'declining', string>

/**
 * Confirm and decline, each a server action with its pending state. Once the
 * request has ended here, the action sends the browser back to the merchant (the
 * returnUrl with signRequestId and signStatus); when nothing changed, it says why.
 */
export function SignActions({ token, text }: { token: string; text: SignActionsText }) {
  const [confirmState, confirm, confirming] = useActionState(confirmSignAction, initialState)
  const [declineState, decline, declining] = useActionState(declineSignAction, initialState)
  const state = declineState.message && !confirmState.message ? declineState : confirmState.message ? confirmState : declineState
  const busy = confirming || declining

  return (
    <div className="mt-5 space-y-3">
      <OutcomeMessage testId="sign-outcome" ok={state.ok} className="text-center">
        {state.message}
      </OutcomeMessage>
      <div className="flex flex-col gap-3 sm:flex-row-reverse">
        <form action={confirm} aria-busy={confirming} className="sm:flex-1">
          <input type="hidden" name="token" value={token} />
          <SubmitButton pending={busy} pendingLabel={text.confirming} size="lg" data-testid="sign-confirm">
            {text.confirm}
          </SubmitButton>
        </form>
        <form action={decline} aria-busy={declining} className="sm:flex-1">
          <input type="hidden" name="token" value={token} />
          <SubmitButton pending={busy} pendingLabel={text.declining} variant="secondary" size="lg" data-testid="sign-decline">
            {text.decline}
          </SubmitButton>
        </form>
      </div>
    </div>
  )
}
