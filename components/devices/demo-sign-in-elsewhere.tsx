'use client'

import { useActionState } from 'react'
import Link from 'next/link'
import { demoSignInElsewhereAction } from '@/app/actions/demo-sign-in-elsewhere'
import { SIMULATED_PHONES } from '@/lib/demo/simulated-phones'
import type { FormState } from '@/lib/forms/form-state'
import { buttonClass } from '@/components/ui/button-styles'
import { OutcomeMessage } from '@/components/ui/outcome-message'
import { SubmitButton } from '@/components/ui/submit-button'

const initialState: FormState = {}

/** Its words, translated on the server (docs/architecture.md#translations-in-the-browser). */
export type DemoSignInElsewhereText = Record<'hint' | 'device' | 'continue' | 'signingIn' | 'submit', string>

/**
 * Demo mode only (the page leaves it out otherwise): pretends this account signs in
 * on a phone, to show the single-device rule ending this browser's session.
 */
export function DemoSignInElsewhere({ text }: { text: DemoSignInElsewhereText }) {
  const [state, formAction, pending] = useActionState(demoSignInElsewhereAction, initialState)
  return (
    <form action={formAction} aria-busy={pending} className="space-y-3 p-4" data-testid="demo-sign-in-elsewhere">
      <p className="text-sm text-muted">{text.hint}</p>
      <div>
        <label htmlFor="demo-device" className="mb-1.5 block text-sm font-medium">
          {text.device}
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
          {text.continue}
        </Link>
      ) : (
        <SubmitButton pending={pending} pendingLabel={text.signingIn} variant="secondary" size="lg" data-testid="demo-sign-in">
          {text.submit}
        </SubmitButton>
      )}
      <OutcomeMessage ok={state.ok} testId="demo-outcome">
        {state.message}
      </OutcomeMessage>
    </form>
  )
}
