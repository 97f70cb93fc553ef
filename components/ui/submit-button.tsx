'use client'

import type { ReactNode, Ref } from 'react'
import { useFormStatus } from 'react-dom'
import { buttonClass, type ButtonSize, type ButtonVariant } from '@/components/ui/button-styles'
import { Spinner } from '@/components/ui/spinner'

type Props = {
  children: ReactNode
  /** shown instead of the label while the action runs */
  pendingLabel: ReactNode
  /** from useActionState; when absent the enclosing form's status is used */
  pending?: boolean
  variant?: ButtonVariant
  size?: ButtonSize
  className?: string
  ref?: Ref<HTMLButtonElement>
  'aria-label'?: string
  'data-testid'?: string
}

/** A submit button that shows progress: disabled, spinning and aria-busy while its form's action runs. */
export function SubmitButton({ children, pendingLabel, pending, variant, size, className, ...rest }: Props) {
  const status = useFormStatus()
  const busy = pending ?? status.pending
  return (
    <button
      type="submit"
      disabled={busy}
      aria-busy={busy}
      className={buttonClass(variant, size, className)}
      {...rest}
    >
      {busy ? (
        <>
          <Spinner />
          <span>{pendingLabel}</span>
        </>
      ) : (
        children
      )}
    </button>
  )
}
