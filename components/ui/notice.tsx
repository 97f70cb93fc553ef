import type { ReactNode } from 'react'

type Tone = 'info' | 'success' | 'warning' | 'danger'

const tones: Record<Tone, string> = {
  info: 'bg-white text-ink ring-line',
  success: 'bg-brand-soft text-brand-hover ring-brand/30',
  warning: 'bg-warn-soft text-warn ring-warn/20',
  danger: 'bg-danger-soft text-danger ring-danger/20',
}

/** A boxed message; not a live region by itself (pages pass one in when it changes). */
export function Notice({
  tone = 'info',
  title,
  children,
  className = '',
  ...rest
}: {
  tone?: Tone
  title?: ReactNode
  children?: ReactNode
  className?: string
  'data-testid'?: string
}) {
  return (
    <div className={`rounded-xl px-4 py-3 text-sm ring-1 ring-inset ${tones[tone]} ${className}`} {...rest}>
      {title ? <p className="font-medium">{title}</p> : null}
      {children ? <div className={title ? 'mt-0.5' : undefined}>{children}</div> : null}
    </div>
  )
}
