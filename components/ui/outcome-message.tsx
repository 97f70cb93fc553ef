import type { ReactNode } from 'react'

/**
 * The polite live region an action's outcome is announced in. It is rendered before
 * anything is in it, so screen readers pick up the change. Next's route announcer is
 * role="alert" too, so tests find this one by its data-testid.
 */
export function OutcomeMessage({
  ok,
  children,
  testId,
  id,
  className = '',
}: {
  ok?: boolean
  children?: ReactNode
  testId: string
  id?: string
  className?: string
}) {
  const tone = ok ? 'text-brand-strong' : 'text-danger'
  return (
    <p
      id={id}
      aria-live="polite"
      aria-atomic="true"
      data-testid={testId}
      data-outcome={children ? (ok ? 'success' : 'failure') : undefined}
      className={children ? `text-sm ${tone} ${className}` : 'sr-only'}
    >
      {children}
    </p>
  )
}
