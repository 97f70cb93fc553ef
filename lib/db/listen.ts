import pg from 'pg'
import { config } from '@/lib/config'
import { embeddedDatabase } from '@/lib/db'

export type ChannelHandlers = {
  /** a NOTIFY's payload on the channel */
  onMessage: (payload: string) => void
  /**
   * Each time the LISTEN is (again) in place. Notifications sent while it was not
   * are lost for good, so this is where a caller re-reads what it may have missed.
   */
  onListening: () => void
  /** the connection failed or was lost; the next try is in `retryInMs` */
  onLost: (error: unknown, retryInMs: number) => void
}

export type ChannelListener = { stop: () => Promise<void> }

const CHANNEL_NAME = /^[a-z_][a-z0-9_]{0,62}$/
const FIRST_RETRY_MS = 250
const MAX_RETRY_MS = 10_000

/**
 * LISTENs on a channel of the app's database with one connection for the whole
 * process, however many callers want its messages: on PostgreSQL a dedicated
 * `pg.Client` (a pooled connection cannot stay in LISTEN), reconnecting with
 * exponential backoff and jitter whenever it is lost; on the embedded PGlite,
 * PGlite's own `listen` on the one connection the process has.
 */
export function listenToChannel(channel: string, handlers: ChannelHandlers): ChannelListener {
  if (!CHANNEL_NAME.test(channel)) throw new Error(`not a channel name: ${channel}`)
  const url = config().DATABASE_URL
  return url ? listenOnPostgres(url, channel, handlers) : listenOnEmbedded(channel, handlers)
}

function listenOnPostgres(url: string, channel: string, handlers: ChannelHandlers): ChannelListener {
  let stopped = false
  let failures = 0
  let client: pg.Client | undefined
  let retry: NodeJS.Timeout | undefined

  const connect = async () => {
    retry = undefined
    const current = new pg.Client({
      connectionString: url,
      connectionTimeoutMillis: config().DB_TIMEOUT_MS,
      // a peer that vanished without closing the connection is noticed, not waited on forever
      keepAlive: true,
      application_name: 'fcdeduction-listen',
    })
    client = current
    let lost = false
    const onLost = (error: unknown) => {
      if (lost || stopped) return
      lost = true
      current.removeAllListeners('notification')
      void current.end().catch(() => {})
      const delay = Math.round(Math.min(FIRST_RETRY_MS * 2 ** failures, MAX_RETRY_MS) * (0.5 + Math.random() / 2))
      failures++
      handlers.onLost(error, delay)
      retry = setTimeout(() => void connect(), delay)
      retry.unref()
    }
    current.on('error', onLost)
    current.on('end', () => onLost(new Error('the listening connection ended')))
    current.on('notification', (message) => {
      if (message.channel === channel && message.payload !== undefined) handlers.onMessage(message.payload)
    })
    try {
      await current.connect()
      await current.query(`LISTEN ${channel}`)
    } catch (error) {
      onLost(error)
      return
    }
    if (stopped || lost) return
    failures = 0
    handlers.onListening()
  }
  void connect()

  return {
    stop: async () => {
      stopped = true
      clearTimeout(retry)
      await client?.end().catch(() => {})
    },
  }
}

function listenOnEmbedded(channel: string, handlers: ChannelHandlers): ChannelListener {
  const unlisten = embeddedDatabase()
    .then((db) => {
      if (!db) throw new Error('no embedded database of this process to listen on')
      return db.listen(channel, handlers.onMessage)
    })
    .then(
    (stop) => {
      handlers.onListening()
      return stop
    },
    (error: unknown) => {
      handlers.onLost(error, Number.POSITIVE_INFINITY)
      return null
    },
  )
  return {
    stop: async () => {
      const stop = await unlisten
      await stop?.().catch(() => {})
    },
  }
}
