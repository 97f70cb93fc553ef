import type { ReactNode } from 'react'
import { Card } from '@/components/ui/card'

/** What a list says when it has nothing in it, and where to go next. */
export function EmptyState({ title, body, action }: { title: ReactNode; body?: ReactNode; action?: ReactNode }) {
  return (
    <Card className="flex flex-col items-center px-6 py-10 text-center" data-testid="empty-state">
      <svg aria-hidden="true" viewBox="0 0 48 48" fill="none" className="size-12 text-brand">
        <rect x="6" y="11" width="36" height="26" rx="5" stroke="currentColor" strokeWidth="2.5" />
        <path d="M6 19h36" stroke="currentColor" strokeWidth="2.5" />
        <path d="M13 29h8" stroke="currentColor" strokeWidth="2.5" strokeLinecap="round" />
      </svg>
      <h2 className="mt-4 text-base font-medium">{title}</h2>
      {body ? <p className="mt-1 max-w-sm text-sm text-balance text-muted">{body}</p> : null}
      {action ? <div className="mt-5">{action}</div> : null}
    </Card>
  )
}
