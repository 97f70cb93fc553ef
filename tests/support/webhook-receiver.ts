// A merchant's webhook endpoint for tests, on 127.0.0.1 (the server under test
// runs with WEBHOOK_ALLOW_PRIVATE=true, as only tests and development may). It
// verifies each delivery with the standardwebhooks package, as a merchant would,
// keeps every copy it is sent, and can go down (stop listening) and come back
// on the same port.
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { Webhook } from 'standardwebhooks'

export type Delivery = {
  webhookId: string
  verified: boolean
  /** false while the receiver holds the request unanswered (setHolding) */
  answered: boolean
  payload: { type: string; timestamp: string; data: Record<string, string> }
}

export type Receiver = {
  url: string
  /** every copy received, in arrival order */
  copies: Delivery[]
  /** the first copy of each webhook-id, in arrival order: what a deduplicating receiver keeps */
  firstCopies: () => Delivery[]
  setSecret: (secret: string) => void
  /** while true, requests are read and kept but never answered, like an endpoint that hangs */
  setHolding: (holding: boolean) => void
  down: () => Promise<void>
  up: () => Promise<void>
  close: () => Promise<void>
}

export async function startReceiver(): Promise<Receiver> {
  let secret = ''
  let holding = false
  const copies: Delivery[] = []
  const server = http.createServer((req, res) => {
    let body = ''
    req.on('data', (chunk: Buffer) => (body += chunk.toString()))
    req.on('end', () => {
      const headers = {
        'webhook-id': String(req.headers['webhook-id'] ?? ''),
        'webhook-timestamp': String(req.headers['webhook-timestamp'] ?? ''),
        'webhook-signature': String(req.headers['webhook-signature'] ?? ''),
      }
      let verified = false
      try {
        new Webhook(secret).verify(body, headers)
        verified = true
      } catch {
        verified = false
      }
      const copy = { webhookId: headers['webhook-id'], verified, answered: !holding, payload: JSON.parse(body) as Delivery['payload'] }
      copies.push(copy)
      if (!holding) res.writeHead(verified ? 204 : 400).end()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  return {
    url: `http://127.0.0.1:${port}/fcdeduction/events`,
    copies,
    firstCopies: () => [...new Map(copies.map((c) => [c.webhookId, c])).values()].sort((a, b) => copies.indexOf(a) - copies.indexOf(b)),
    setSecret: (s) => (secret = s),
    setHolding: (h) => (holding = h),
    // stop listening and drop open connections: the app's attempts now meet a refused connection
    down: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
    up: () => new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve)),
    close: () =>
      new Promise<void>((resolve) => {
        if (!server.listening) return resolve()
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}
