// A TCP proxy between a server and PostgreSQL that counts the frontend protocol
// messages passing through. pg never pipelines, so every Sync (extended protocol)
// and every Query (simple protocol) is one round trip: the client waits for the
// answer before it sends anything else. No product code changes are needed.
import net from 'node:net'

export type MessageCounts = Record<string, number>

export type CountingProxy = {
  port: number
  counts: () => MessageCounts
  /** Sync + Query messages so far: the round trips */
  roundTrips: () => number
  close: () => Promise<void>
}

export async function startCountingProxy(upstream: { host: string; port: number }): Promise<CountingProxy> {
  const counts: MessageCounts = {}
  const sockets = new Set<net.Socket>()

  const server = net.createServer((client) => {
    const db = net.connect(upstream.port, upstream.host)
    sockets.add(client).add(db)
    let pending: Buffer = Buffer.alloc(0)
    let startup = true // the first message (startup) has no type byte
    client.on('data', (chunk: Buffer) => {
      db.write(chunk)
      pending = pending.length ? Buffer.concat([pending, chunk]) : chunk
      for (;;) {
        if (startup) {
          if (pending.length < 4) break
          const length = pending.readInt32BE(0)
          if (pending.length < length) break
          // an SSL or GSSAPI request is followed by another startup message
          const code = pending.readInt32BE(4)
          startup = code === 80877103 || code === 80877104
          pending = pending.subarray(length)
          continue
        }
        if (pending.length < 5) break
        const length = pending.readInt32BE(1)
        if (pending.length < 1 + length) break
        const type = String.fromCharCode(pending[0])
        counts[type] = (counts[type] ?? 0) + 1
        pending = pending.subarray(1 + length)
      }
    })
    db.pipe(client)
    const end = () => {
      client.destroy()
      db.destroy()
      sockets.delete(client)
      sockets.delete(db)
    }
    client.on('close', end).on('error', end)
    db.on('close', end).on('error', end)
  })

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  if (!address || typeof address === 'string') throw new Error('proxy did not get a port')
  return {
    port: address.port,
    counts: () => ({ ...counts }),
    roundTrips: () => (counts.S ?? 0) + (counts.Q ?? 0),
    close: async () => {
      for (const s of sockets) s.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
