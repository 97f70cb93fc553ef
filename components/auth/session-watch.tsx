'use client'

import { useEffect } from 'react'
import { SESSION_EVENTS_PATH } from '@/lib/auth/session-events-path'

// EventSource reconnects by itself after a dropped stream (the server asks for 2 s);
// it gives up for good only on an answer that is not a stream — a 502 from a proxy
// while the app restarts, or a 401 once the cookie is gone — and then this backs off.
const FIRST_RETRY_MS = 1000
const MAX_RETRY_MS = 30_000

/** Which notice the login page shows for an `ended` event's reason (it reads the details itself). */
function loginPath(reason: string | undefined): string {
  const params = new URLSearchParams({ next: window.location.pathname + window.location.search })
  if (reason === 'REPLACED') params.set('reason', 'elsewhere')
  else if (reason === 'IDLE_TIMEOUT' || reason === 'ABSOLUTE_TIMEOUT') params.set('reason', 'expired')
  else params.set('reason', 'ended')
  return `/login?${params}`
}

function reasonOf(data: unknown): string | undefined {
  try {
    const parsed: unknown = typeof data === 'string' ? JSON.parse(data) : undefined
    return parsed && typeof parsed === 'object' && 'reason' in parsed && typeof parsed.reason === 'string' ? parsed.reason : undefined
  } catch {
    return undefined
  }
}

/** Marks a page that stays when its session ends: it follows something the session does not own. */
export const OUTLIVES_SESSION = 'data-outlives-session'

/**
 * Mounted on every signed-in page: listens on the session's event stream and, when
 * the session ends (a login elsewhere, a sign-out, an administrator), takes the page
 * to the login page with the notice — no click, no polling (docs/product.md#live-sign-out).
 * Not a page marked OUTLIVES_SESSION: the sign page on a wide screen, whose user
 * signs in on the phone (which ends this session) and should see the outcome here.
 */
export function SessionWatch() {
  useEffect(() => {
    let source: EventSource | undefined
    let retry: ReturnType<typeof setTimeout> | undefined
    let delay = FIRST_RETRY_MS
    let done = false

    const leave = (reason: string | undefined) => {
      done = true
      source?.close()
      if (document.querySelector(`[${OUTLIVES_SESSION}]`)) return
      window.location.assign(loginPath(reason))
    }

    const open = () => {
      retry = undefined
      source = new EventSource(SESSION_EVENTS_PATH)
      source.addEventListener('open', () => (delay = FIRST_RETRY_MS))
      source.addEventListener('ended', (event) => leave(reasonOf(event.data)))
      source.addEventListener('error', () => {
        if (done || source?.readyState !== EventSource.CLOSED) return
        // given up: a 401 means this browser is signed out; anything else, try again later
        retry = setTimeout(() => {
          fetch(SESSION_EVENTS_PATH, { method: 'HEAD', cache: 'no-store' }).then(
            (res) => (done ? undefined : res.status === 401 ? leave(undefined) : open()),
            () => (done ? undefined : open()),
          )
        }, delay)
        delay = Math.min(delay * 2, MAX_RETRY_MS)
      })
    }
    // this page's own sign-out leads it to the login page: the stream's ended event must not race it there
    const onSubmit = (event: SubmitEvent) => {
      if (!(event.target instanceof HTMLFormElement) || !event.target.hasAttribute('data-sign-out')) return
      done = true
      clearTimeout(retry)
      source?.close()
    }
    document.addEventListener('submit', onSubmit, true)
    open()

    return () => {
      done = true
      clearTimeout(retry)
      source?.close()
      document.removeEventListener('submit', onSubmit, true)
    }
  }, [])
  return null
}
