import type { ReactNode } from 'react'

type Tone = 'brand' | 'neutral' | 'warning' | 'danger'

const tones: Record<Tone, string> = {
  brand: 'bg-brand-soft text-brand-strong',
  neutral: 'bg-canvas text-muted',
  warning: 'bg-warn-soft text-warn',
  danger: 'bg-danger-soft text-danger',
}

export function StatusBadge({ tone = 'neutral', children, ...rest }: { tone?: Tone; children: ReactNode; 'data-testid'?: string }) {
  return (
    <span
      className={`inline-flex items-center rounded-full px-2.5 py-0.5 text-xs font-medium whitespace-nowrap ${tones[tone]}`}
      {...rest}
    >
      {children}
    </span>
  )
}
