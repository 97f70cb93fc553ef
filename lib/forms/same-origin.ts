import 'server-only'
import { headers } from 'next/headers'

/**
 * Server actions change state, so they must come from our own pages. Next.js
 * rejects a foreign Origin but lets a request without one through; we do not:
 * a browser always sends Origin on a POST, and a missing one (or "null", or a
 * cross-site fetch) is treated as forged.
 */
export async function isSameOrigin(): Promise<boolean> {
  const h = await headers()
  const origin = h.get('origin')
  if (!origin || origin === 'null') return false
  if (h.get('sec-fetch-site') === 'cross-site') return false
  const host = h.get('x-forwarded-host') ?? h.get('host')
  try {
    return new URL(origin).host === host
  } catch {
    return false
  }
}
