'use client'

import Link from 'next/link'
import { useErrorText } from '@/components/layout/error-text'
import { buttonClass } from '@/components/ui/button-styles'
import { Card } from '@/components/ui/card'

/**
 * Any unexpected failure while rendering a page: a calm "busy, please retry", never the
 * error itself. The digest lets support find the server log line; nothing else is shown.
 */
export default function ErrorPage({ error, retry }: { error: unknown; retry: () => void }) {
  const text = useErrorText()
  const digest =
    typeof error === 'object' && error !== null && 'digest' in error && typeof error.digest === 'string'
      ? error.digest
      : undefined
  return (
    <Card className="mx-auto mt-4 flex max-w-md flex-col items-center px-6 py-10 text-center" data-testid="error-page">
      <svg aria-hidden="true" viewBox="0 0 48 48" fill="none" className="size-12 text-muted">
        <circle cx="24" cy="24" r="18" stroke="currentColor" strokeWidth="2.5" />
        <path d="M24 14v11l7 4" stroke="currentColor" strokeWidth="2.5" strokeLinecap="round" strokeLinejoin="round" />
      </svg>
      <h1 className="mt-4 text-lg font-semibold">{text.busyTitle}</h1>
      <p className="mt-1 text-sm text-balance text-muted">{text.busyBody}</p>
      <div className="mt-6 flex w-full flex-col gap-3 sm:flex-row sm:justify-center">
        <button type="button" onClick={() => retry()} className={buttonClass('primary', 'md')} data-testid="error-retry">
          {text.retry}
        </button>
        <Link href="/services" className={buttonClass('secondary', 'md')}>
          {text.home}
        </Link>
      </div>
      {digest ? <p className="mt-6 text-xs text-muted/80">{text.reference.replace('{id}', digest)}</p> : null}
    </Card>
  )
}
