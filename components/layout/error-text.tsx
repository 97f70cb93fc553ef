'use client'

import { createContext, use, type ReactNode } from 'react'

/**
 * The words of the error page (app/error.tsx). An error boundary is a client component that
 * gets no props from the server, so the root layout translates them and hands them down
 * here instead of shipping next-intl and the catalogue to every page
 * (docs/architecture.md#translations-in-the-browser). `reference` keeps its `{id}` placeholder.
 */
export type ErrorText = { busyTitle: string; busyBody: string; retry: string; home: string; reference: string }

const ErrorTextContext = createContext<ErrorText | null>(null)

export function ErrorTextProvider({ text, children }: { text: ErrorText; children: ReactNode }) {
  return <ErrorTextContext value={text}>{children}</ErrorTextContext>
}

export function useErrorText(): ErrorText {
  const text = use(ErrorTextContext)
  if (!text) throw new Error('useErrorText needs the ErrorTextProvider of the root layout')
  return text
}
