'use client'

import { useActionState } from 'react'
import { openServiceAction } from '@/app/actions/deduction-actions'
import type { FormState } from '@/lib/forms/form-state'
import { OutcomeMessage } from '@/components/ui/outcome-message'
import { StatusBadge } from '@/components/ui/status-badge'
import { SubmitButton } from '@/components/ui/submit-button'

const initialState: FormState = {}

/** Its words, translated on the server; `openLabel` already names the product (docs/architecture.md#translations-in-the-browser). */
export type OpenServiceFormText = { opened: string; open: string; opening: string; openLabel: string }

/**
 * The 开通 button of one product. It stays mounted when the page is revalidated after
 * a successful open (it then shows 已开通), so the outcome message is not lost.
 */
export function OpenServiceForm({
  productCode,
  opened,
  size = 'sm',
  text,
}: {
  productCode: string
  opened: boolean
  size?: 'sm' | 'lg'
  text: OpenServiceFormText
}) {
  const [state, formAction, pending] = useActionState(openServiceAction, initialState)
  const outcomeId = `open-outcome-${productCode}`
  return (
    <div className={size === 'lg' ? 'space-y-3' : 'flex flex-col items-end gap-1'}>
      {opened ? (
        <StatusBadge tone="brand" data-testid="opened-badge">
          {text.opened}
        </StatusBadge>
      ) : (
        <form action={formAction} aria-busy={pending} className={size === 'lg' ? 'w-full' : undefined}>
          <input type="hidden" name="productCode" value={productCode} />
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
