import type http from 'node:http'
import type http2 from 'node:http2'
import { Code, ConnectError, createConnectRouter, type HandlerContext } from '@connectrpc/connect'
import { compressionBrotli, compressionGzip, universalResponseToNodeResponse, type ConnectNodeAdapterOptions } from '@connectrpc/connect-node'
import { createAsyncIterable, type UniversalServerRequest, type UniversalServerResponse } from '@connectrpc/connect/protocol'

type NodeRequest = http.IncomingMessage | http2.Http2ServerRequest
type NodeResponse = http.ServerResponse | http2.Http2ServerResponse
type NodeHandler = (req: NodeRequest, res: NodeResponse) => void

/**
 * A call's signal, aborted only when the call did not end with its answer: the client
 * went away, or its request failed. connect-node's own adapter aborts it when every
 * response closes, answered or not, and an abort without a reason builds a DOMException
 * with its stack: 5–8% of a light call's CPU, for a signal nobody listens to any more
 * (docs/architecture.md#a-connect-json-call).
 */
function callSignal(req: NodeRequest, res: NodeResponse): AbortSignal {
  const controller = new AbortController()
  const onError = (error: Error) => controller.abort(ConnectError.from(error, Code.Aborted))
  req.once('error', onError)
  res.once('close', () => {
    req.off('error', onError)
    if (!res.writableFinished) controller.abort(new ConnectError('the client went away before the answer', Code.Canceled))
  })
  return controller.signal
}

/**
 * A body whose length the client declared, within the limit, uncompressed: read whole, with
 * events, before the call starts, rather than through Node's stream iterator. The HTTP/1.1
 * router has already refused a declared length over the limit (lib/http/router.ts); on the
 * gRPC port such a body, one of undeclared length (chunked) or a compressed one stays a
 * stream, which Connect reads up to the limit and decompresses.
 */
function readsWhole(req: NodeRequest, readMaxBytes: number): boolean {
  const h = req.headers
  return (
    req.method === 'POST' &&
    h['content-length'] !== undefined &&
    Number(h['content-length']) <= readMaxBytes &&
    h['transfer-encoding'] === undefined &&
    h['content-encoding'] === undefined &&
    h['connect-content-encoding'] === undefined
  )
}

/**
 * A Connect unary request (`application/json` or `application/proto`) read whole is handed
 * to Connect as its bytes: its unary handler takes a body that is not a stream as it is
 * (`readUnaryMessageFromBody`) and parses bytes with the same serialization and limit as
 * bytes it read itself, without copying them into a buffer of their own first. The public
 * type names only streams and parsed JSON, hence the cast; lib/rpc/node-adapter.test.ts
 * and every API test go through this path. Any other protocol (gRPC, Connect streams)
 * reads its body as a stream of one chunk. The bytes are exactly the declared length:
 * Node's HTTP parsers end a body there and refuse a shorter one.
 */
const CONNECT_UNARY = /^application\/(?:json|proto)(?:;|$)/i

function wholeBody(req: NodeRequest): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.once('end', () => resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)))
    // a client gone before the end of its body gets no answer
    const gone = (error?: Error) => reject(new ConnectError('the client went away before the end of its request', Code.Aborted, undefined, undefined, error))
    req.once('error', gone)
    req.once('close', () => req.complete || gone())
  })
}

const wholeOrChunk = (body: Uint8Array, contentType: string | undefined): UniversalServerRequest['body'] =>
  CONNECT_UNARY.test(contentType ?? '') ? (body as unknown as UniversalServerRequest['body']) : createAsyncIterable([body])

async function universalRequest(req: NodeRequest, res: NodeResponse, readMaxBytes: number, contextValues: UniversalServerRequest['contextValues']): Promise<UniversalServerRequest> {
  const encrypted = 'encrypted' in req.socket && req.socket.encrypted
  const authority = 'authority' in req ? req.authority : req.headers.host
  // lib/http/request-log.ts gives every request an authority before it gets here; without it, a 400
  if (authority === undefined) throw new ConnectError('the request names no host', Code.InvalidArgument)
  const header = new Headers()
  for (const [name, value] of Object.entries(req.headers)) {
    // HTTP/2's pseudo-headers (:method, :path, …) are no header of the call
    if (value === undefined || name.startsWith(':')) continue
    if (Array.isArray(value)) for (const item of value) header.append(name, item)
    else header.append(name, String(value))
  }
  const signal = callSignal(req, res)
  return {
    httpVersion: req.httpVersion,
    method: req.method ?? '',
    url: new URL(req.url ?? '', `${encrypted ? 'https' : 'http'}://${authority}`).toString(),
    header,
    body: readsWhole(req, readMaxBytes) ? wholeOrChunk(await wholeBody(req), req.headers['content-type']) : req.iterator({ destroyOnReturn: false }),
    signal,
    contextValues,
  }
}

/**
 * Writes a whole answer at once when it can: on HTTP/1.1, with no trailers, to a request
 * read in full (every unary Connect answer), headers and body in one write. connect-node
 * writes the body, waits for it to be sent and only then ends the response: two writes a
 * call where a framework-free server makes one (docs/architecture.md#a-connect-json-call).
 * Anything else is connect-node's to write.
 */
async function writeAnswer(answer: UniversalServerResponse, req: NodeRequest, res: NodeResponse): Promise<void> {
  if ('stream' in res || answer.trailer || !req.complete) return universalResponseToNodeResponse(answer, res)
  const chunks: Uint8Array[] = []
  if (answer.body) for await (const chunk of answer.body) chunks.push(chunk)
  const headers: Record<string, string> = {}
  answer.header?.forEach((value, name) => {
    headers[name] = value
  })
  const body = Buffer.concat(chunks)
  headers['content-length'] = String(body.byteLength)
  res.writeHead(answer.status, headers)
  res.end(body)
}

// The reason a call's own signal is aborted with once its answer is written: one error
// made once, where Connect's handlers call `context.abort()` without a reason at the end
// of every call, and the DOMException made for that carries a fresh stack (4% of a light
// call's CPU). Anything still listening hears that the call is over, as before.
const CALL_ENDED = new ConnectError('the call has ended', Code.Canceled)

/**
 * A request gate that gives the call's end (`context.abort()` without a reason) CALL_ENDED.
 * The context a gate receives is the handler's controller, whose `abort` the public type
 * leaves out; without one (another Connect) the call ends as Connect ends it.
 */
function endWithoutStack(context: HandlerContext & { abort?: (reason?: unknown) => void }): void {
  const abort = context.abort?.bind(context)
  if (abort) context.abort = (reason?: unknown) => abort(reason ?? CALL_ENDED)
}

/**
 * connect-node's connectNodeAdapter, the same router and the same answers, but with a
 * call's signal that only a call that did not end with its answer aborts (callSignal),
 * a call's end that builds no exception (endWithoutStack), and a unary answer written at
 * once (writeAnswer).
 */
export function nodeAdapter(options: ConnectNodeAdapterOptions): NodeHandler {
  const gate = options.requestGate
  const router = createConnectRouter({
    acceptCompression: [compressionGzip, compressionBrotli],
    ...options,
    requestGate: (context) => {
      endWithoutStack(context)
      return gate?.(context)
    },
  })
  options.routes(router)
  const prefix = options.requestPathPrefix ?? ''
  // Connect's own default: no limit
  const readMaxBytes = options.readMaxBytes ?? 0xffffffff
  const handlers = new Map(router.handlers.map((handler) => [prefix + handler.requestPath, handler]))
  return (req, res) => {
    const handler = handlers.get((req.url ?? '').split('?', 1)[0])
    if (!handler) {
      if (options.fallback) options.fallback(req as http.IncomingMessage, res as http.ServerResponse)
      else {
        res.statusCode = 404
        res.end()
      }
      return
    }
    universalRequest(req, res, readMaxBytes, options.contextValues?.(req as http.IncomingMessage))
      .then(handler)
      .then((answer) => writeAnswer(answer, req, res))
      .catch((reason: unknown) => {
        const { code } = ConnectError.from(reason)
        if (code === Code.Aborted) return
        console.error(`handler for rpc ${handler.method.name} of ${handler.service.typeName} failed`, reason)
        // a request that could not be read (no host to build its URL from) is answered, not left waiting
        if (res.headersSent) return void res.end()
        res.statusCode = code === Code.InvalidArgument ? 400 : 500
        res.end()
      })
  }
}
