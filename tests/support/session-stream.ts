import assert from 'node:assert/strict'

/** A page's session event stream (GET /api/session/events), read as it arrives. */
export type SessionStream = {
  /** everything the stream has sent so far */
  text: () => string
  /** stops reading and drops the connection, whether or not the server has ended the stream */
  close: () => Promise<void>
}

/** Opens the session event stream a signed-in page would open, with the session's cookie. */
export async function openSessionStream(base: string, cookie: string): Promise<SessionStream> {
  const done = new AbortController()
  const res = await fetch(`${base}/api/session/events`, { headers: { cookie }, signal: done.signal })
  assert.equal(res.status, 200, `the session stream was refused: ${res.status}`)
  let text = ''
  const reading = (async () => {
    const decoder = new TextDecoder()
    const body = res.body!.getReader()
    for (let part = await body.read(); !part.done; part = await body.read()) text += decoder.decode(part.value, { stream: true })
  })().catch(() => {})
  return {
    text: () => text,
    close: async () => {
      done.abort()
      await reading
    },
  }
}
