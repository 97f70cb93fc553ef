'use client'

import { useEffect, useState } from 'react'

type ReceivedEvent = { webhookId: string; type: string; signRequestId: string | null; merchantReference: string | null; receivedAt: string }

const POLL_MS = 2_000

/**
 * The signed events the demo shop's receiver took in, asked for every two seconds:
 * each was kept only after its signature verified (app/demo/shop/webhooks/route.ts).
 */
export function ReceivedEvents({ signRequestId, text }: { signRequestId?: string; text: { title: string; empty: string; verified: string } }) {
  const [events, setEvents] = useState<ReceivedEvent[] | null>(null)
  useEffect(() => {
    let stopped = false
    const ask = async () => {
      try {
        const query = signRequestId ? `?signRequestId=${encodeURIComponent(signRequestId)}` : ''
        const answer = await fetch(`/demo/shop/webhooks${query}`, { cache: 'no-store' })
        const body = (await answer.json()) as { events?: ReceivedEvent[] }
        if (!stopped && body.events) setEvents(body.events)
      } catch {
        // offline for a moment: the next round asks again
      }
    }
    void ask()
    const timer = setInterval(ask, POLL_MS)
    return () => {
      stopped = true
      clearInterval(timer)
    }
  }, [signRequestId])
  return (
    <section aria-labelledby="shop-events-title" className="mt-6">
      <h2 id="shop-events-title" className="px-1 text-sm font-semibold">
        {text.title}
      </h2>
      <ul className="mt-2 divide-y divide-line rounded-xl bg-white ring-1 ring-line" aria-live="polite" data-testid="shop-events">
        {events === null || events.length === 0 ? (
          <li className="px-4 py-3 text-sm text-muted">{text.empty}</li>
        ) : (
          events.map((e) => (
            <li key={e.webhookId} className="flex flex-wrap items-center justify-between gap-2 px-4 py-3 text-sm" data-testid="shop-event" data-type={e.type} data-sign-request={e.signRequestId ?? ''}>
              <span className="font-mono">{e.type}</span>
              <span className="rounded-full bg-brand-soft px-2 py-0.5 text-xs font-medium text-brand-hover" data-testid="shop-event-verified">
                ✓ {text.verified}
              </span>
              {e.merchantReference ? <span className="w-full text-xs text-muted">{e.merchantReference}</span> : null}
            </li>
          ))
        )}
      </ul>
    </section>
  )
}
