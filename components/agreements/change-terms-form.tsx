'use client'

import { useActionState } from 'react'
import { changeAgreementAction } from '@/app/actions/agreement-actions'
import type { FormState } from '@/lib/forms/form-state'
import type { TermDefinition, TermValues } from '@/lib/agreements/arrangement-terms'
import { DEDUCTION } from '@/lib/agreements/arrangement-types'
import { OutcomeMessage } from '@/components/ui/outcome-message'
import { SubmitButton } from '@/components/ui/submit-button'
import { TermFields } from '@/components/agreements/term-fields'

const initialState: FormState = {}

/** Its words, translated on the server (docs/architecture.md#translations-in-the-browser). */
export type ChangeTermsFormText = { save: string; saving: string; optional: string }

/**
 * Changes an open agreement's changeable terms. The Idempotency-Key comes with the
 * page (`idempotencyKey`, made when it was rendered): a form sent twice changes
 * once, and the page rendered after a change brings a new key for the next one.
 */
export function ChangeTermsForm({
  productCode,
  arrangementType = DEDUCTION,
  terms,
  values,
  idempotencyKey,
  locale,
  text,
}: {
  productCode: string
  arrangementType?: string
  terms: readonly TermDefinition[]
  values: TermValues
  idempotencyKey: string
  locale: string
  text: ChangeTermsFormText
}) {
  const [state, formAction, pending] = useActionState(changeAgreementAction, initialState)
  return (
    <form action={formAction} aria-busy={pending} className="space-y-4" data-testid="change-terms-form">
      <input type="hidden" name="productCode" value={productCode} />
      {arrangementType !== DEDUCTION ? <input type="hidden" name="arrangementType" value={arrangementType} /> : null}
      <input type="hidden" name="idempotencyKey" value={idempotencyKey} />
      <TermFields terms={terms} values={values} mode="change" idPrefix={`change-${productCode}`} locale={locale} optionalLabel={text.optional} />
      <SubmitButton pending={pending} pendingLabel={text.saving} size="lg" className="sm:w-auto sm:px-8" data-testid="change-terms-submit">
        {text.save}
      </SubmitButton>
      <OutcomeMessage testId="change-outcome" ok={state.ok}>
        {state.message}
      </OutcomeMessage>
    </form>
  )
}
