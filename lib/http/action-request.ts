import type http from 'node:http'
import { BODY_MAX_BYTES } from '@/lib/http/body-limit'

/**
 * A server action call (a POST with a `Next-Action` header) carries its arguments as
 * React encodes them: a form (multipart/form-data) whose field "0" is the JSON list of
 * arguments, or that JSON list alone as text. Next decodes the body before any action
 * runs, and answers 500 for a body it cannot decode (no list, a truncated form, a
 * reference to a part that is not there). So the envelope is checked here first and a
 * malformed one refused with 400 (415 for another content type); the action itself then
 * checks the form's fields (lib/forms/action-envelope.ts).
 */
export type ActionRequestCheck = { ok: true } | { ok: false; status: 400 | 415; message: string }

// The argument values that React encodes inline, without another part of the body:
// undefined, the special numbers, an escaped "$", and a form (`$K<id>`), whose fields
// are the parts named `<id>_…` (none is an empty form). Any other "$" reference points
// at a part the decoder waits for.
const INLINE_REFERENCE = /^\$(?:\$|undefined$|NaN$|-?Infinity$|-0$|K\d{1,9}$)/

function inlineOnly(value: unknown, depth = 0): boolean {
  if (depth > 16) return false
  if (typeof value === 'string') return !value.startsWith('$') || INLINE_REFERENCE.test(value)
  if (Array.isArray(value)) return value.every((v) => inlineOnly(v, depth + 1))
  if (value !== null && typeof value === 'object') return Object.values(value).every((v) => inlineOnly(v, depth + 1))
  return true
}

/**
 * Whether React's form reader takes a field of this name for a numbered part of the
 * arguments: it reads the number as `+name` (after an "S", a stream's part), so " ",
 * "00", "0x0" or "S0" stand for part 0, the list itself, and are decoded as JSON in its
 * place. The list's own field is "0"; every other part is a reference, refused below.
 */
function readAsPart(name: string): boolean {
  const number = name.length > 1 && name.startsWith('S') ? +name.slice(1) : +name
  return Number.isInteger(number)
}

function argumentsProblem(json: string): string | undefined {
  let args: unknown
  try {
    args = JSON.parse(json)
  } catch {
    return 'the action arguments are not JSON'
  }
  if (!Array.isArray(args)) return 'the action arguments are not a list'
  if (!inlineOnly(args)) return 'the action arguments refer to parts the request does not carry'
  return undefined
}

/** Whether a server action call's body is one that React encodes; it reads nothing itself. */
export async function checkActionEnvelope(contentType: string | undefined, body: Buffer): Promise<ActionRequestCheck> {
  const type = (contentType ?? '').split(';', 1)[0].trim().toLowerCase()
  const refuse = (message: string): ActionRequestCheck => ({ ok: false, status: 400, message })
  if (type === 'text/plain') {
    const problem = argumentsProblem(body.toString('utf8'))
    return problem ? refuse(problem) : { ok: true }
  }
  if (type !== 'multipart/form-data') return { ok: false, status: 415, message: 'a server action takes multipart/form-data or text/plain' }
  let form: FormData
  try {
    form = await new Response(new Uint8Array(body), { headers: { 'content-type': contentType ?? '' } }).formData()
  } catch {
    return refuse('the form cannot be read')
  }
  // React's decoder fails on a part without a name
  const names = [...form.keys()]
  if (names.some((name) => name === '')) return refuse('a form field has no name')
  if (names.some((name) => name !== '0' && readAsPart(name))) return refuse('a form field is named as a part of the arguments')
  const root = form.getAll('0')
  if (root.length !== 1 || typeof root[0] !== 'string') return refuse('the form carries no list of action arguments')
  const problem = argumentsProblem(root[0])
  return problem ? refuse(problem) : { ok: true }
}

/**
 * Reads a server action call's body (its size was checked from its headers already:
 * lib/http/body-limit.ts), refuses a malformed envelope, and leaves the body where Next
 * reads an action's body that was read before it (its request meta `actionBody`).
 * Resolves true when Next may go on.
 */
export async function admitActionRequest(req: http.IncomingMessage, res: http.ServerResponse): Promise<boolean> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > BODY_MAX_BYTES) break
    chunks.push(chunk)
  }
  const check: ActionRequestCheck =
    size > BODY_MAX_BYTES ? { ok: false, status: 400, message: `request body larger than ${BODY_MAX_BYTES} bytes` } : await checkActionEnvelope(req.headers['content-type'], Buffer.concat(chunks))
  if (!check.ok) {
    res.writeHead(check.status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' })
    res.end(`server action refused: ${check.message}`)
    return false
  }
  const meta = req as unknown as Record<symbol, Record<string, unknown> | undefined>
  const key = Symbol.for('NextInternalRequestMeta')
  meta[key] = { ...meta[key], actionBody: Buffer.concat(chunks) }
  return true
}
