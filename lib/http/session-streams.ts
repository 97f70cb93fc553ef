import type http from 'node:http'
import type { Logger } from 'pino'
import { endedAmong, parseSessionEnded, SESSION_ENDED_CHANNEL, type SessionEnded } from '@/lib/auth/session-ended'
import { findSessionById, checkSession } from '@/lib/auth/sessions'
import { listenToChannel, type ChannelListener } from '@/lib/db/listen'
import { metrics } from '@/lib/observability/metrics'

/** A comment line this often keeps proxies and the browser from taking a quiet stream for a dead one. */
export const HEARTBEAT_MS = 15_000
// setTimeout's longest delay (about 24.8 days)
const MAX_TIMER_MS = 2 ** 31 - 1

/**
 * Streams one session may hold open at once in this process: one per open page, far
 * more than a person keeps open (browsers allow six connections a site over HTTP/1.1),
 * so that one cookie cannot hold thousands of sockets and their memory. A page over
 * the limit is refused with 429 and tries again later (components/auth/session-watch.tsx).
 */
export const MAX_STREAMS_PER_SESSION = 32

/** The `ended` event, after which the stream closes. */
export const endedEvent = (ended: SessionEnded) => `event: ended\ndata: ${JSON.stringify(ended)}\n\n`

/**
 * The open event streams of this process, by session, fed by one LISTEN
 * connection (lib/db/listen.ts): a NOTIFY that a session ended is written to every
 * stream of that session, which then closes. No stream holds a database
 * connection; one timer beats for all of them.
 */
export function createSessionStreams(log: Logger, options: { heartbeatMs?: number } = {}) {
  const heartbeatMs = options.heartbeatMs ?? HEARTBEAT_MS
  const streams = new Map<string, Set<http.ServerResponse>>()
  // per session with open streams: a check when it would time out, since nothing
  // writes to the row then (the next request would find it expired)
  const expiryChecks = new Map<string, NodeJS.Timeout>()
  let heartbeat: NodeJS.Timeout | undefined
  let listener: ChannelListener | undefined
  let listening: () => void = () => {}
  const firstListening = new Promise<void>((resolve) => (listening = resolve))

  const beat = () => {
    for (const set of streams.values()) for (const res of set) res.write(': heartbeat\n\n')
  }

  function remove(sessionId: string, res: http.ServerResponse) {
    const set = streams.get(sessionId)
    if (!set?.delete(res)) return
    metrics.sessionStreams.dec()
    if (set.size > 0) return
    streams.delete(sessionId)
    clearTimeout(expiryChecks.get(sessionId))
    expiryChecks.delete(sessionId)
    if (streams.size === 0) {
      clearInterval(heartbeat)
      heartbeat = undefined
    }
  }

  /** Tells every stream of the session that it ended, and closes them. */
  function end(sessionId: string, ended: SessionEnded) {
    const set = streams.get(sessionId)
    if (!set) return
    for (const res of [...set]) {
      remove(sessionId, res)
      res.end(endedEvent(ended))
    }
  }

  async function checkExpiry(sessionId: string) {
    expiryChecks.delete(sessionId)
    if (!streams.has(sessionId)) return
    try {
      // ends it if it timed out; the trigger then announces it like any other end
      const check = await checkSession(await findSessionById(sessionId))
      if (check.ok) scheduleExpiryCheck(sessionId, check.session)
    } catch (error) {
      log.warn({ err: error }, 'session expiry check failed; the next page request checks it')
    }
  }

  function scheduleExpiryCheck(sessionId: string, session: { idleExpiresAt: Date; absoluteExpiresAt: Date }) {
    if (!streams.has(sessionId) || expiryChecks.has(sessionId)) return
    const due = Math.min(session.idleExpiresAt.getTime(), session.absoluteExpiresAt.getTime())
    const timer = setTimeout(() => void checkExpiry(sessionId), Math.min(Math.max(due - Date.now(), 0) + 50, MAX_TIMER_MS))
    timer.unref()
    expiryChecks.set(sessionId, timer)
  }

  /** After the LISTEN is (re)established: the sessions that ended while nobody listened. */
  async function catchUp() {
    const ids = [...streams.keys()]
    if (ids.length === 0) return
    try {
      for (const [sessionId, ended] of await endedAmong(ids)) end(sessionId, ended)
    } catch (error) {
      log.warn({ err: error }, 'could not re-check the sessions of open pages after listening again')
    }
  }

  return {
    /** Starts listening for ended sessions; call once the database is open. */
    start() {
      listener ??= listenToChannel(SESSION_ENDED_CHANNEL, {
        onMessage: (payload) => {
          const notice = parseSessionEnded(payload)
          if (notice) end(notice.sessionId, notice.ended)
        },
        onListening: () => {
          listening()
          void catchUp()
        },
        onLost: (error, retryInMs) => log.warn({ err: error, retryInMs }, 'lost the database connection that listens for ended sessions'),
      })
    },

    /** Resolves once the LISTEN is first in place. */
    listening: () => firstListening,

    /** Whether the session already holds MAX_STREAMS_PER_SESSION streams here. */
    full: (sessionId: string) => (streams.get(sessionId)?.size ?? 0) >= MAX_STREAMS_PER_SESSION,

    /** Adds a stream of a live session; it leaves by itself when the client goes away. */
    add(sessionId: string, res: http.ServerResponse) {
      let set = streams.get(sessionId)
      if (!set) streams.set(sessionId, (set = new Set()))
      set.add(res)
      metrics.sessionStreams.inc()
      res.once('close', () => remove(sessionId, res))
      heartbeat ??= setInterval(beat, heartbeatMs).unref()
    },

    /** Checks the session again when it would time out, while it has streams. */
    watchExpiry: scheduleExpiryCheck,

    end,

    /** How many streams are open (for tests and metrics). */
    size: () => [...streams.values()].reduce((sum, set) => sum + set.size, 0),

    /**
     * Shutdown: closes every stream without an `ended` event (the page reconnects,
     * to another instance or to this one restarted) and stops listening.
     */
    async close() {
      for (const [sessionId, set] of [...streams]) {
        for (const res of [...set]) {
          remove(sessionId, res)
          res.end()
        }
      }
      await listener?.stop()
      listener = undefined
    },
  }
}

export type SessionStreams = ReturnType<typeof createSessionStreams>
