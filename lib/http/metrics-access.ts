import { createHash, timingSafeEqual } from 'node:crypto'
import type http from 'node:http'

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1'])
// a proxy on this machine sets one of these: the caller is then whoever reached the proxy
const FORWARDING_HEADERS = ['forwarded', 'x-forwarded-for', 'x-forwarded-host', 'x-forwarded-proto', 'x-real-ip', 'via']

const digest = (value: string) => createHash('sha256').update(value).digest()

/**
 * Who may read /metrics: with METRICS_TOKEN, whoever presents it as a bearer token;
 * without one, only a caller on this machine that came directly, not through a
 * proxy (whose peer address is loopback too, whoever its client is).
 */
export function metricsAllowed(req: Pick<http.IncomingMessage, 'headers' | 'socket'>, token: string | undefined): boolean {
  if (!token) return LOOPBACK.has(req.socket.remoteAddress ?? '') && !FORWARDING_HEADERS.some((name) => req.headers[name] !== undefined)
  const given = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')?.[1] ?? ''
  return timingSafeEqual(digest(given), digest(token))
}
