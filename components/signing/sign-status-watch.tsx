'use client'

import { useRouter } from 'next/navigation'
import { useEffect } from 'react'
import { OUTLIVES_SESSION } from '@/components/auth/session-watch'

const POLL_MS = 2_000

/**
 * Left open on a wide screen while the user signs on the phone, the page learns
 * the outcome: it asks where the link stands every two seconds and, once the
 * request is no longer PENDING, renders again to show it. Signing in on the phone
 * ends this browser's session (one device per user), so the page is marked to stay
 * when the session watch hears that: the outcome is shown to whoever holds the link.
 */
export function SignStatusWatch({ token }: { token: string }) {
  const router = useRouter()
  useEffect(() => {
    let stopped = false
    const timer = setInterval(async () => {
      try {
        const answer = await fetch(`/sign/${token}/status`, { cache: 'no-store' })
        const { signStatus } = (await answer.json()) as { signStatus?: string }
        if (!stopped && signStatus !== 'PENDING') {
          stopped = true
          clearInterval(timer)
          router.refresh()
        }
      } catch {
        // offline for a moment: the next round asks again
      }
    }, POLL_MS)
    return () => {
      stopped = true
      clearInterval(timer)
    }
  }, [token, router])
  return <span hidden {...{ [OUTLIVES_SESSION]: '' }} />
}
