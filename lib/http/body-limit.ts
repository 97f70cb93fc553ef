import type http from 'node:http'

/**
 * The largest request body any door reads: far above any API message or page form
 * (a server action's form is a few hundred bytes). The API's reader stops at it
 * whatever the framing (Connect's readMaxBytes); in front of Next, a body is
 * refused from its headers alone, before a byte of it is read.
 */
export const BODY_MAX_BYTES = 64 * 1024

export type BodyRefusal = { status: 411 | 413; message: string }

/**
 * Why a request's body must not be read: declared larger than the limit (413), or,
 * for a page, sent without a length (411: browsers always send Content-Length, and a
 * stream of unknown size would be read by Next before any limit applies).
 */
export function refuseBody(req: Pick<http.IncomingMessage, 'method' | 'headers'>, lengthRequired: boolean): BodyRefusal | undefined {
  const declared = req.headers['content-length']
  if (declared !== undefined) {
    return Number(declared) > BODY_MAX_BYTES ? { status: 413, message: `request body larger than ${BODY_MAX_BYTES} bytes` } : undefined
  }
  if (lengthRequired && req.headers['transfer-encoding'] !== undefined) {
    return { status: 411, message: 'a request body needs a Content-Length' }
  }
  return undefined
}

// After a refusal the client is usually still sending. Closing at once, with its data
// unread, would make the kernel reset the connection, and the client could lose the
// answer; so the answer is followed by a FIN, and what else arrives is dropped unread
// for a second before the connection closes (nginx's lingering close).
const LINGER_MS = 1000

/** Ends the connection once the answer is out: drops what else the client sends, and closes after a second. */
export function closeAfterLinger(req: http.IncomingMessage, res: http.ServerResponse): void {
  const socket = req.socket
  res.once('finish', () => socket.end())
  const timer = setTimeout(() => socket.destroy(), LINGER_MS)
  timer.unref()
  socket.once('close', () => clearTimeout(timer))
  req.resume()
}
