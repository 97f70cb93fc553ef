'use client'

import Link from 'next/link'
import { useActionState } from 'react'
import { closeAgreementAction } from '@/app/actions/agreement-actions'
import type { FormState } from '@/lib/forms/form-state'
import { buttonClass } from '@/components/ui/button-styles'
import { Card } from '@/components/ui/card'
import { Notice } from '@/components/ui/notice'
import { OutcomeMessage } from '@/components/ui/outcome-message'
import { SubmitButton } from '@/components/ui/submit-button'
import { ProductAvatar } from '@/components/agreements/product-avatar'
import { agreementHref } from '@/components/agreements/agreement-href'
import { DEDUCTION } from '@/lib/agreements/arrangement-types'

const initialState: FormState = {}

/** Its words, translated on the server with the product's names filled in (docs/architecture.md#translations-in-the-browser). */
export type CloseConfirmText = Record<
  'heading' | 'body' | 'confirm' | 'closing' | 'cancel' | 'notOpen' | 'done' | 'closedHeading' | 'notOpenHeading' | 'closedBody',
  string
>

type Props = { productCode: string; productName: string; orgName: string; opened: boolean; arrangementType?: string; text: CloseConfirmText }

/**
 * Confirm or cancel closing one agreement. After a successful close the page is
 * revalidated (the agreement is no longer open) but this component keeps its state,
 * so the user sees that it is closed and the way back, rather than "not open".
 */
export function CloseConfirm({ productCode, productName, orgName, opened, arrangementType = DEDUCTION, text }: Props) {
  const [state, formAction, pending] = useActionState(closeAgreementAction, initialState)
  const closed = state.ok === true

  return (
    <>
      <Card className="flex flex-col items-center px-5 pt-8 pb-6 text-center">
        <ProductAvatar code={productCode} orgName={orgName} size="lg" />
        <h1 className="mt-4 text-lg font-semibold text-balance">{closed ? text.closedHeading : opened ? text.heading : text.notOpenHeading}</h1>
        <p className="mt-3 text-base font-medium" data-testid="close-product-name">
          {productName}
        </p>
        <p className="text-sm text-muted">{orgName}</p>
        {closed || opened ? (
          <p className="mt-4 text-sm leading-relaxed text-pretty text-muted">
            {closed ? text.closedBody : text.body}
          </p>
        ) : null}
      </Card>

      <div className="mt-5 space-y-3">
        <OutcomeMessage testId="close-outcome" ok={state.ok} className="text-center">
          {state.message}
        </OutcomeMessage>
        {closed ? null : !opened ? (
          <Notice tone="info" data-testid="close-not-open">
            {text.notOpen}
          </Notice>
        ) : (
          <form action={formAction} aria-busy={pending} className="flex flex-col gap-3 sm:flex-row-reverse">
            <input type="hidden" name="productCode" value={productCode} />
            {arrangementType !== DEDUCTION ? <input type="hidden" name="arrangementType" value={arrangementType} /> : null}
            <SubmitButton
              pending={pending}
              pendingLabel={text.closing}
              variant="danger"
              size="lg"
              className="sm:w-auto sm:flex-1"
              data-testid="confirm-close"
            >
              {text.confirm}
            </SubmitButton>
            <Link
              href={agreementHref(productCode, arrangementType)}
              className={buttonClass('secondary', 'lg', 'sm:w-auto sm:flex-1')}
              data-testid="cancel-close"
            >
              {text.cancel}
            </Link>
          </form>
        )}
        {closed || !opened ? (
          <Link href="/services" className={buttonClass(closed ? 'primary' : 'secondary', 'lg')} data-testid="close-done">
            {text.done}
          </Link>
        ) : null}
      </div>
    </>
  )
}
