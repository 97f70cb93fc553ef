'use client'

import './globals.css'

// The root layout itself failed, so neither the message catalogue nor the locale is
// available: both languages, and still nothing about the error but its digest.
export default function GlobalError({ error, retry }: { error: unknown; retry: () => void }) {
  const digest =
    typeof error === 'object' && error !== null && 'digest' in error && typeof error.digest === 'string'
      ? error.digest
      : undefined
  return (
    <html lang="zh-CN">
      <body className="font-sans antialiased">
        <main className="mx-auto flex min-h-dvh max-w-md flex-col items-center justify-center px-6 text-center">
          <title>服务繁忙 · Service busy</title>
          <h1 className="text-lg font-semibold">服务繁忙，请稍后重试</h1>
          <p lang="en" className="mt-1 text-sm text-muted">
            The service is busy. Please try again in a moment.
          </p>
          <button
            type="button"
            onClick={() => retry()}
            className="mt-6 inline-flex min-h-11 items-center rounded-full bg-brand-strong px-6 font-medium text-white hover:bg-brand-hover"
          >
            重试 <span lang="en">· Try again</span>
          </button>
          {digest ? <p className="mt-6 text-xs text-muted">{digest}</p> : null}
        </main>
      </body>
    </html>
  )
}
