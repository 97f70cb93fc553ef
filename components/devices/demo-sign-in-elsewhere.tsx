'use client'

import { useActionState } from 'react'
import Link from 'next/link'
import { useTranslations } from 'next-intl'
import { demoSignInElsewhereAction } from '@/app/actions/demo-sign-in-elsewhere'
import { SIMULATED_PHONES } from '@/lib/demo/simulated-phones'
import type { FormState } from '@/lib/forms/form-state'
import { buttonClass } from '@/components/ui/button-styles'
import { OutcomeMessage } from '@/components/ui/outcome-message'
import { SubmitButton } from '@/components/ui/submit-button'

const initialState: FormState = {}

/**
 * Demo mode only (the page leaves it out otherwise): pretends this account signs in
 * on a phone, to show the single-device rule ending this browser's session.
 */
export function DemoSignInElsewhere() {
  const t = useTranslations('devices.demo')
  const [state, formAction, pending] = useActionState(demoSignInElsewhereAction, initialState)
  return (
    <form action={formAction} aria-busy={pending} className="space-y-3 p-4" data-testid="demo-sign-in-elsewhere">
      <p className="text-sm text-muted">{t('hint')}</p>
      <div>
        <label htmlFor="demo-device" className="mb-1.5 block text-sm font-medium">
          {t('device')}
        </label>
        <select
          id="demo-device"
          name="device"
          defaultValue={SIMULATED_PHONES[0]}
          disabled={pending || state.ok}
          className="block w-full rounded-xl bg-canvas px-4 py-3 text-base text-ink focus:bg-white focus-visible:outline-none focus:ring-1 focus:ring-brand-strong"
        >
          {SIMULATED_PHONES.map((phone) => (
            <option key={phone} value={phone}>
              {phone}
            </option>
          ))}
        </select>
      </div>
      {state.ok ? (
        // this browser's session has ended: the next page it opens says so
        <Link href="/devices" className={buttonClass('secondary', 'lg')} data-testid="demo-continue">
          {t('continue')}
        </Link>
      ) : (
        <SubmitButton pending={pending} pendingLabel={t('signingIn')} variant="secondary" size="lg" data-testid="demo-sign-in">
          {t('submit')}
        </SubmitButton>
      )}
      <OutcomeMessage ok={state.ok} testId="demo-outcome">
        {state.message}
      </OutcomeMessage>
    </form>
  )
}
