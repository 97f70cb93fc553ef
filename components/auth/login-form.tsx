'use client'

import { useActionState, useRef, useState } from 'react'
import { loginAction } from '@/app/actions/login'
import type { FormState } from '@/lib/forms/form-state'
import { OutcomeMessage } from '@/components/ui/outcome-message'
import { SubmitButton } from '@/components/ui/submit-button'
import { buttonClass } from '@/components/ui/button-styles'
import { Card } from '@/components/ui/card'

export type DemoAccount = { email: string; password: string; name: string }

/** The form's words, translated on the server (lib/i18n/client-text.ts), so no catalogue reaches the browser. */
export type LoginFormText = Record<
  | 'email'
  | 'password'
  | 'submit'
  | 'submitting'
  | 'showPassword'
  | 'hidePassword'
  | 'demoTitle'
  | 'demoHint'
  | 'demoUse'
  | 'demoEmail'
  | 'demoPassword',
  string
>

const initialState: FormState = {}

const inputClass =
  'block w-full rounded-xl bg-canvas px-4 py-3 text-base text-ink ring-1 ring-inset ring-transparent ' +
  'placeholder:text-muted/70 focus:bg-white focus:ring-brand-strong focus-visible:outline-none ' +
  'aria-invalid:bg-danger-soft aria-invalid:ring-danger/50'

/**
 * E-mail and password, posted to the login action. The password is never sent back:
 * React clears the uncontrolled field after every attempt, and the action answers only
 * a code and its message. The e-mail is kept so a typo in the password costs one field.
 */
export function LoginForm({ next, demoAccounts, text }: { next: string; demoAccounts: DemoAccount[]; text: LoginFormText }) {
  const t = (key: keyof LoginFormText) => text[key]
  const [state, formAction, pending] = useActionState(loginAction, initialState)
  const [email, setEmail] = useState('')
  const passwordRef = useRef<HTMLInputElement>(null)
  const submitRef = useRef<HTMLButtonElement>(null)
  const [showPassword, setShowPassword] = useState(false)

  const fieldErrors = state.fieldErrors ?? {}
  const emailInvalid = Boolean(fieldErrors.email ?? fieldErrors.loginKey)
  const passwordInvalid = Boolean(fieldErrors.password ?? fieldErrors.loginValue)

  function fillDemo(account: DemoAccount) {
    setEmail(account.email)
    if (passwordRef.current) passwordRef.current.value = account.password
    submitRef.current?.focus()
  }

  return (
    <>
      <Card className="p-5 sm:p-6">
        <form action={formAction} aria-busy={pending} className="space-y-4" data-testid="login-form">
          <input type="hidden" name="next" value={next} />
          <div>
            <label htmlFor="login-email" className="mb-1.5 block text-sm font-medium">
              {t('email')}
            </label>
            <input
              id="login-email"
              name="email"
              type="email"
              inputMode="email"
              autoComplete="username"
              autoCapitalize="none"
              spellCheck={false}
              required
              maxLength={255}
              value={email}
              onChange={(e) => setEmail(e.target.value)}
              aria-invalid={emailInvalid || undefined}
              aria-describedby={emailInvalid ? 'login-outcome' : undefined}
              className={inputClass}
            />
          </div>
          <div>
            <label htmlFor="login-password" className="mb-1.5 block text-sm font-medium">
              {t('password')}
            </label>
            <div className="relative">
              <input
                ref={passwordRef}
                id="login-password"
                name="password"
                type={showPassword ? 'text' : 'password'}
                autoComplete="current-password"
                required
                maxLength={256}
                aria-invalid={passwordInvalid || undefined}
                aria-describedby={passwordInvalid ? 'login-outcome' : undefined}
                className={`${inputClass} pr-12`}
              />
              <button
                type="button"
                onClick={() => setShowPassword((v) => !v)}
                aria-pressed={showPassword}
                aria-label={showPassword ? t('hidePassword') : t('showPassword')}
                className="absolute inset-y-1 right-1 flex w-10 items-center justify-center rounded-lg text-muted hover:text-ink"
              >
                <EyeIcon open={showPassword} />
              </button>
            </div>
          </div>
          <OutcomeMessage id="login-outcome" testId="login-outcome" ok={state.ok}>
            {state.message}
          </OutcomeMessage>
          <SubmitButton ref={submitRef} pending={pending} pendingLabel={t('submitting')} size="lg" data-testid="login-submit">
            {t('submit')}
          </SubmitButton>
        </form>
      </Card>

      {demoAccounts.length > 0 ? (
        <section aria-labelledby="demo-accounts-title" className="mt-6" data-testid="demo-accounts">
          <h2 id="demo-accounts-title" className="mb-2 px-1 text-[0.8125rem] font-medium text-muted">
            {t('demoTitle')}
          </h2>
          <Card>
            <p className="border-b border-line px-4 py-3 text-sm text-muted">{t('demoHint')}</p>
            <ul className="divide-y divide-line">
              {demoAccounts.map((account) => (
                <li key={account.email} className="flex items-center gap-3 px-4 py-3">
                  <div className="min-w-0 flex-1 text-sm">
                    <p className="font-medium">{account.name}</p>
                    <p className="truncate text-muted">
                      <span className="sr-only">{t('demoEmail')} </span>
                      {account.email}
                    </p>
                    <p className="truncate font-mono text-xs text-muted">
                      <span className="sr-only">{t('demoPassword')} </span>
                      {account.password}
                    </p>
                  </div>
                  <button
                    type="button"
                    onClick={() => fillDemo(account)}
                    className={buttonClass('secondary', 'sm')}
                  >
                    {/* the visible word first, so the name a voice user says matches what is seen */}
                    {t('demoUse')}
                    <span className="sr-only"> {account.email}</span>
                  </button>
                </li>
              ))}
            </ul>
          </Card>
        </section>
      ) : null}
    </>
  )
}

function EyeIcon({ open }: { open: boolean }) {
  return (
    <svg aria-hidden="true" viewBox="0 0 20 20" fill="none" className="size-5">
      <path
        d="M1.75 10s3-5.75 8.25-5.75S18.25 10 18.25 10s-3 5.75-8.25 5.75S1.75 10 1.75 10Z"
        stroke="currentColor"
        strokeWidth="1.5"
        strokeLinejoin="round"
      />
      <circle cx="10" cy="10" r="2.5" stroke="currentColor" strokeWidth="1.5" />
      {open ? null : <path d="m3.5 3.5 13 13" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" />}
    </svg>
  )
}
