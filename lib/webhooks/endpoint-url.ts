import net from 'node:net'
import { isPublicAddress } from '@/lib/webhooks/address-policy'

export type EndpointPolicy = { production: boolean; allowPrivate: boolean }

/**
 * Why a webhook URL is refused, or undefined when it may be registered and called:
 * https only in production (http too outside it, or with WEBHOOK_ALLOW_PRIVATE);
 * no credentials in the URL; a literal address must be public unless private ones
 * are allowed. Names are checked again at every attempt, on the addresses they
 * resolve to then (lib/webhooks/safe-post.ts).
 */
export function endpointUrlProblem(raw: string, policy: EndpointPolicy): string | undefined {
  if (raw.length > 2048) return 'must be at most 2048 characters'
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return 'must be an absolute URL'
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must be an https:// URL'
  if (url.protocol === 'http:' && policy.production && !policy.allowPrivate) return 'must be https:// in production'
  if (url.username || url.password) return 'must not carry a user name or password'
  if (url.hash) return 'must not have a #fragment'
  const host = url.hostname.replace(/^\[|\]$/g, '')
  if (net.isIP(host) && !isPublicAddress(host) && !policy.allowPrivate) return 'must not point at a private, loopback or link-local address'
  return undefined
}
