import type http from 'node:http'
import type { Logger } from 'pino'
import { sessionState } from '@/lib/auth/session-ended'
import { openSessionCookie, sessionCookieName } from '@/lib/auth/web-cookie'
import { cookieValue } from '@/lib/http/cookie-value'
import { endedEvent, type SessionStreams } from '@/lib/http/session-streams'

// how long the browser waits before reconnecting a stream that dropped
const RECONNECT_MS = 2000
// what a page over the session's stream limit is told to wait
const FULL_RETRY_SECONDS = 30

function plain(res: http.ServerResponse, status: number, text: string, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', ...headers })
  res.end(text)
}

/**
 * GET /api/session/events: an event stream (Server-Sent Events) that stays open
 * while the browser's session is live and sends `ended` when it ends, then closes.
 * Authenticated by the session cookie, checked as pages check it; 429 once the
 * session holds MAX_STREAMS_PER_SESSION streams in this process. HEAD answers
 * the same status without a stream: the browser asks it when its EventSource gave up.
 */
export function createSessionEventsHandler(streams: SessionStreams, log: Logger) {
  let closing = false
  const handle = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return plain(res, 405, 'method not allowed: use GET', { allow: 'GET, HEAD' })
    const cookie = cookieValue(req.headers.cookie, sessionCookieName())
    if (!cookie) return plain(res, 401, 'not signed in: no session cookie')
    if (closing) return plain(res, 503, 'shutting down', { 'retry-after': '1' })
    const sessionId = await openSessionCookie(cookie)
    if (sessionId && streams.full(sessionId)) return plain(res, 429, 'too many open pages for this session: try again later', { 'retry-after': String(FULL_RETRY_SECONDS) })
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', 'x-accel-buffering': 'no' })
    if (req.method === 'HEAD') return res.end()
    res.write(`retry: ${RECONNECT_MS}\n\n`)
    if (!sessionId) return res.end(endedEvent({ reason: 'MISSING', at: new Date().toISOString(), device: null }))
    // listen before reading the row, so that an end committed in between is not missed
    streams.add(sessionId, res)
    try {
      const state = await sessionState(sessionId)
      if ('ended' in state) streams.end(sessionId, state.ended)
      else streams.watchExpiry(sessionId, state.live)
    } catch (error) {
      // the database did not answer: the browser reconnects after RECONNECT_MS and asks again
      log.warn({ err: error }, 'session events: could not check the session')
      res.end()
    }
  }
  return {
    handle: (req: http.IncomingMessage, res: http.ServerResponse) =>
      handle(req, res).catch((error: unknown) => {
        log.error({ err: error }, 'session events failed')
        if (!res.headersSent) plain(res, 500, 'internal error')
        else res.end()
      }),
    /** Refuses new streams and ends the open ones (shutdown). */
    async close() {
      closing = true
      await streams.close()
    },
  }
}
