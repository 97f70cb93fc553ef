import 'server-only'
import { headers } from 'next/headers'
import { isSameOrigin as sameOriginRule } from '@/lib/http/same-origin'

/** Server actions change state, so they must come from our own pages (lib/http/same-origin.ts). */
export async function isSameOrigin(): Promise<boolean> {
  const h = await headers()
  return sameOriginRule({ origin: h.get('origin'), secFetchSite: h.get('sec-fetch-site'), host: h.get('x-forwarded-host') ?? h.get('host') })
}
