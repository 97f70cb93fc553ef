'use client'

import { useActionState } from 'react'
import { openAgreementAction } from '@/app/actions/agreement-actions'
import type { FormState } from '@/lib/forms/form-state'
import { OutcomeMessage } from '@/components/ui/outcome-message'
import { StatusBadge } from '@/components/ui/status-badge'
import { SubmitButton } from '@/components/ui/submit-button'
import { TermFields } from '@/components/agreements/term-fields'
import type { TermDefinition } from '@/lib/agreements/arrangement-terms'
import { DEDUCTION } from '@/lib/agreements/arrangement-types'
import { openFormId } from '@/lib/forms/term-fields'

const initialState: FormState = {}

/** Its words, translated on the server; `openLabel` already names the product (docs/architecture.md#translations-in-the-browser). */
export type OpenAgreementFormText = { opened: string; open: string; opening: string; openLabel: string; optional: string }

/**
 * The 开通 button of one product, with the arrangement's terms inside the form on the
 * detail page (`size` lg); on a catalogue card the card holds them (TermFields with
 * `form`). Left alone they keep their defaults, so one tap opens. It stays mounted when the page is revalidated after
 * a successful open (it then shows 已开通), so the outcome message is not lost.
 */
export function OpenAgreementForm({
  productCode,
  opened,
  size = 'sm',
  arrangementType = DEDUCTION,
  terms = [],
  locale,
  text,
}: {
  productCode: string
  opened: boolean
  size?: 'sm' | 'lg'
  arrangementType?: string
  terms?: readonly TermDefinition[]
  locale: string
  text: OpenAgreementFormText
}) {
  const [state, formAction, pending] = useActionState(openAgreementAction, initialState)
  const outcomeId = `open-outcome-${productCode}`
  return (
    <div className={size === 'lg' ? 'space-y-3' : 'flex flex-col items-end gap-1'}>
      {opened ? (
        <StatusBadge tone="brand" data-testid="opened-badge">
          {text.opened}
        </StatusBadge>
      ) : (
        <form id={openFormId(productCode)} action={formAction} aria-busy={pending} className={size === 'lg' ? 'w-full space-y-4' : undefined}>
          <input type="hidden" name="productCode" value={productCode} />
          {arrangementType !== DEDUCTION ? <input type="hidden" name="arrangementType" value={arrangementType} /> : null}
          {size === 'lg' && terms.length > 0 ? <TermFields terms={terms} mode="open" idPrefix={`open-${productCode}`} locale={locale} optionalLabel={text.optional} /> : null}
          <SubmitButton
            pending={pending}
            pendingLabel={text.opening}
            size={size === 'lg' ? 'lg' : 'sm'}
            className={size === 'lg' ? 'sm:w-auto sm:px-8' : undefined}
            aria-label={size === 'lg' ? undefined : text.openLabel}
            data-testid="open-service-button"
          >
            {text.open}
          </SubmitButton>
        </form>
      )}
      <OutcomeMessage id={outcomeId} testId="open-outcome" ok={state.ok} className={size === 'lg' ? '' : 'text-right'}>
        {state.message}
      </OutcomeMessage>
    </div>
  )
}
