'use client'

import { useRouter } from 'next/navigation'
import { useState, type FormEvent } from 'react'
import { OutcomeMessage } from '@/components/ui/outcome-message'
import { SubmitButton } from '@/components/ui/submit-button'
import { signFormPath, type SignVerb } from '@/lib/signing/sign-form-path'

export type SignActionsText = Record<'confirm' | 'confirming' | 'decline' | 'declining' | 'unavailable', string>

// what lib/http/sign-form.ts answers the page's script
type Answer = { redirect: string } | { message: string }

/**
 * Confirm and decline, each a form posted to the server's sign form
 * (lib/http/sign-form.ts), with its pending state. Once the request has ended here,
 * the browser goes back to the merchant (the returnUrl with signRequestId and
 * signStatus); when nothing changed, it says why and the page shows where the
 * request now stands. Without script, the forms post as they are and the server
 * answers with a redirect; `failure` is then what the last one failed with.
 */
export function SignActions({ token, text, failure }: { token: string; text: SignActionsText; failure?: string }) {
  const router = useRouter()
  const [message, setMessage] = useState(failure)
  const [pending, setPending] = useState<SignVerb | null>(null)

  async function submit(event: FormEvent<HTMLFormElement>, verb: SignVerb) {
    event.preventDefault()
    if (pending) return
    setPending(verb)
    try {
      const res = await fetch(signFormPath(token, verb), { method: 'POST', headers: { accept: 'application/json' } })
      const answer = (await res.json()) as Answer
      if ('redirect' in answer) {
        // stays pending while the browser leaves
        window.location.assign(answer.redirect)
        return
      }
      setMessage(answer.message)
      router.refresh()
    } catch {
      // no answer, or not ours (a proxy's error page): nothing is known to have changed
      setMessage(text.unavailable)
    }
    setPending(null)
  }

  return (
    <div className="mt-5 space-y-3">
      <OutcomeMessage testId="sign-outcome" ok={false} className="text-center">
        {message}
      </OutcomeMessage>
      <div className="flex flex-col gap-3 sm:flex-row-reverse">
        <form method="post" action={signFormPath(token, 'confirm')} onSubmit={(event) => void submit(event, 'confirm')} aria-busy={pending === 'confirm'} className="sm:flex-1">
          <SubmitButton pending={pending !== null} pendingLabel={text.confirming} size="lg" data-testid="sign-confirm">
            {text.confirm}
          </SubmitButton>
        </form>
        <form method="post" action={signFormPath(token, 'decline')} onSubmit={(event) => void submit(event, 'decline')} aria-busy={pending === 'decline'} className="sm:flex-1">
          <SubmitButton pending={pending !== null} pendingLabel={text.declining} variant="secondary" size="lg" data-testid="sign-decline">
            {text.decline}
          </SubmitButton>
        </form>
      </div>
    </div>
  )
}
