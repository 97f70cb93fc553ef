import fs from 'node:fs'
import path from 'node:path'
import type { PGlite } from '@electric-sql/pglite'
import { PGLiteSocketServer } from '@electric-sql/pglite-socket'
import type { BackendMessage, NotificationResponseMessage, ReadyForQueryMessage } from 'pg-protocol/dist/messages'
import { Parser } from 'pg-protocol/dist/parser'

// The process that owns the embedded database (lib/db/pglite-lock.ts) — the app —
// serves it over the PostgreSQL protocol on a Unix socket inside the data folder,
// so that the admin command line, the seed and demo:reset can work while the app
// runs, without a second process ever opening the folder. A Unix socket, not a TCP
// port: only users who can reach the data folder can reach it (and it is made 0600).

/** The socket's name: what a PostgreSQL client looks for in the folder given as its host (`.s.PGSQL.<port>`). */
export const SOCKET_PORT = 5432
export const socketPath = (dir: string) => path.join(path.resolve(dir), `.s.PGSQL.${SOCKET_PORT}`)
// the longest Unix socket path Linux and macOS accept, less the terminating NUL
const MAX_SOCKET_PATH = 103
// clients of the socket at once (admin commands, a seed, psql); each waits its turn
const MAX_CLIENTS = 8
// a client that keeps a transaction open this long without a word is disconnected
// (and its transaction rolled back), so a stuck admin command cannot hold the app
const CLIENT_IDLE_MS = 10_000

const IDLE = 'I' // ReadyForQuery's status outside a transaction block
const SYNC = 0x53 // 'S'
const SIMPLE_QUERY = 0x51 // 'Q'

/**
 * PGlite is one connection. pglite-socket takes its clients' messages one at a time,
 * which is not enough here: the app keeps using the same connection directly, and
 * an extended-protocol query (Parse, Bind, Execute, Sync) or a transaction spans
 * several messages. So a socket client's *turn* — from its first message until the
 * backend is idle again outside a transaction (ReadyForQuery 'I') — holds PGlite's
 * transaction lock, the one the app's own queries and transactions take: the app
 * waits for the turn, and a turn waits for the app's transaction. While a turn is
 * open, the server is told the database is "in a transaction", so that it also
 * holds back the other socket clients until the turn ends.
 *
 * A socket client's commit can raise a NOTIFY (the session-ended trigger, when an admin
 * command revokes a session). PGlite is the one backend, and the app LISTENs on it, so the
 * notification comes back in the output of that commit, which goes to the socket client as
 * raw bytes: PGlite hands notifications to its `listen` callbacks only for the app's own
 * queries. So the turn's output is read, and each notification in it is raised again on the
 * app's side once the turn is over, where the app's listener hears it as it hears its own
 * (docs/architecture.md#live-sign-out).
 */
function turnTaking(db: PGlite): PGlite {
  let endTurn: (() => void) | undefined
  let starting: Promise<void> | undefined

  const startTurn = () =>
    (starting ??= new Promise<void>((started) => {
      // _runExclusiveTransaction: PGlite's lock around query(), exec() and transaction()
      void db._runExclusiveTransaction(
        () =>
          new Promise<void>((ended) => {
            endTurn = () => {
              endTurn = undefined
              starting = undefined
              ended()
            }
            started()
          }),
      )
    }))

  // pglite-socket runs each message as runExclusive(() => execProtocolRawStream(…)): the turn
  // is taken first, the same order as the app's queries take the two locks, or they would deadlock
  const runExclusive: PGlite['runExclusive'] = async (fn) => {
    await startTurn()
    return db.runExclusive(fn)
  }

  /** Runs one client message (in its turn); the turn ends when the reply leaves the backend idle. */
  const execProtocolRawStream: PGlite['execProtocolRawStream'] = async (message, options) => {
    // a reply is whole messages, a long one in several chunks: one parser per reply
    const parser = new Parser()
    let last: BackendMessage | undefined
    const notifications: NotificationResponseMessage[] = []
    await db.execProtocolRawStream(message, {
      ...options,
      // writing the files back after every message of an extended query costs ~7 ms each:
      // only at its end (Sync) or after a simple query, as PGlite's own query() does
      syncToFs: message[0] === SYNC || message[0] === SIMPLE_QUERY,
      onRawData: (data) => {
        // a copy: the parser keeps an unfinished message's bytes, and these may be reused
        parser.parse(Buffer.from(data), (reply) => {
          last = reply
          if (reply.name === 'notification') notifications.push(reply as NotificationResponseMessage)
        })
        options?.onRawData?.(data)
      },
    })
    if (last?.name === 'readyForQuery' && (last as ReadyForQueryMessage).status === IDLE) endTurn?.()
    // not awaited: the query takes the lock this turn holds, so it runs once the turn is over
    for (const { channel, payload } of notifications) void raiseAgain(channel, payload)
  }

  const raiseAgain = (channel: string, payload: string) =>
    db.query('SELECT pg_notify($1, $2)', [channel, payload]).catch(async (error: unknown) => {
      // imported here: the logger reads the configuration as it loads, which importing this module must not
      const { logger } = await import('@/lib/observability/logger')
      logger.warn({ err: error, channel }, 'a notification raised through the embedded database socket did not reach the app')
    })

  /** pglite-socket's clean-up for a client that left mid-turn: end what it left open, then the turn. */
  const exec: PGlite['exec'] = async (query) => {
    if (!endTurn) return db.exec(query)
    const sync = Uint8Array.of(SYNC, 0, 0, 0, 4) // leaves a failed extended query
    const sql = new TextEncoder().encode(`${query}\0`)
    const simpleQuery = new Uint8Array(5 + sql.length)
    simpleQuery[0] = SIMPLE_QUERY
    new DataView(simpleQuery.buffer).setInt32(1, 4 + sql.length)
    simpleQuery.set(sql, 5)
    try {
      await db.runExclusive(async () => {
        await db.execProtocolRaw(sync)
        await db.execProtocolRaw(simpleQuery)
      })
    } finally {
      endTurn?.()
    }
    return []
  }

  return new Proxy(db, {
    get(target, prop) {
      if (prop === 'runExclusive') return runExclusive
      if (prop === 'execProtocolRawStream') return execProtocolRawStream
      if (prop === 'exec') return exec
      // "in a transaction" keeps the server on the turn's client until the turn ends
      if (prop === 'isInTransaction') return () => endTurn !== undefined || starting !== undefined
      const value: unknown = Reflect.get(target, prop, target)
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
}

export type EmbeddedSocket = { path: string; stop: () => Promise<void> }

/** Serves the open embedded database on its folder's socket; throws if the path is too long for a Unix socket. */
export async function serveEmbeddedDatabase(db: PGlite, dir: string): Promise<EmbeddedSocket> {
  const file = socketPath(dir)
  if (Buffer.byteLength(file) > MAX_SOCKET_PATH) {
    throw new Error(`The embedded database's socket path ${file} is longer than a Unix socket allows (${MAX_SOCKET_PATH} bytes): move PGLITE_DIR to a shorter path`)
  }
  // a socket file left by an owner that died: this process holds the lock now
  fs.rmSync(file, { force: true })
  const server = new PGLiteSocketServer({ db: turnTaking(db), path: file, maxConnections: MAX_CLIENTS, idleTimeout: CLIENT_IDLE_MS })
  await server.start()
  fs.chmodSync(file, 0o600)
  return {
    path: file,
    stop: async () => {
      await server.stop()
      fs.rmSync(file, { force: true })
    },
  }
}
