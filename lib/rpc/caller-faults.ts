// connect-es blames itself for two faults that are the caller's: a request body
// that is not a protobuf message (`internal`, HTTP 500) and a Content-Encoding it
// does not speak (`unimplemented`, HTTP 501). connect-go answers the first with
// invalid_argument (400); HTTP answers the second with 415 (RFC 9110 §15.5.16).
// Both are rewritten here, so that no request, however malformed, earns a 5xx. On
// the gRPC door the first comes as grpc-status 13 (INTERNAL) in the trailers, after
// the body, as does a message flagged compressed without a grpc-encoding: both become
// 3 (INVALID_ARGUMENT), as grpc-go answers a message it cannot parse.
import type { ConnectRouter } from '@connectrpc/connect'
import { createAsyncIterable, type UniversalHandler, type UniversalServerResponse } from '@connectrpc/connect/protocol'

type ErrorBody = { code?: unknown; message?: unknown }

async function bytesOf(body: UniversalServerResponse['body']): Promise<Uint8Array> {
  if (body === undefined) return new Uint8Array()
  const chunks: Uint8Array[] = []
  for await (const chunk of body) chunks.push(chunk)
  return Buffer.concat(chunks)
}

function replaced(res: UniversalServerResponse, status: number, error: ErrorBody): UniversalServerResponse {
  const body = new TextEncoder().encode(JSON.stringify(error))
  const header = new Headers(res.header)
  header.set('content-length', String(body.byteLength))
  return { ...res, status, header, body: createAsyncIterable([body]) }
}

const GRPC_INTERNAL = '13'
const GRPC_INVALID_ARGUMENT = '3'
// grpc-message is percent-encoded ("parse%20binary…")
const GRPC_CALLER_FAULT = /^(?:parse%20(?:binary|json)|received%20compressed%20envelope)/i

/** The gRPC answer whose trailers are rewritten once its body has gone out (the status is known only then). */
function blameTheGrpcCaller(res: UniversalServerResponse, trailer: Headers): UniversalServerResponse {
  const body = res.body
  async function* thenTrailers() {
    if (body) yield* body
    if (trailer.get('grpc-status') === GRPC_INTERNAL && GRPC_CALLER_FAULT.test(trailer.get('grpc-message') ?? '')) trailer.set('grpc-status', GRPC_INVALID_ARGUMENT)
  }
  return { ...res, body: thenTrailers() }
}

/** Rewrites the two self-blaming answers; every other answer passes unchanged. */
export async function blameTheCaller(res: UniversalServerResponse): Promise<UniversalServerResponse> {
  if (res.trailer && res.header?.get('content-type')?.startsWith('application/grpc')) return blameTheGrpcCaller(res, res.trailer)
  // only the Connect protocol's unary errors: a JSON body, uncompressed
  if ((res.status !== 500 && res.status !== 501) || res.header?.has('content-encoding')) return res
  const bytes = await bytesOf(res.body)
  const kept = { ...res, body: createAsyncIterable([bytes]) }
  let error: ErrorBody
  try {
    error = JSON.parse(new TextDecoder().decode(bytes)) as ErrorBody
  } catch {
    return kept
  }
  const message = typeof error.message === 'string' ? error.message : ''
  if (res.status === 500 && error.code === 'internal' && message.startsWith('parse binary')) {
    return replaced(kept, 400, { code: 'invalid_argument', message })
  }
  if (res.status === 501 && error.code === 'unimplemented' && message.startsWith('unknown compression')) {
    return replaced(kept, 415, { code: 'unimplemented', message })
  }
  return kept
}

/** Wraps a routes() function so that every handler it registers answers through blameTheCaller. */
export function withCallerFaults(register: (router: ConnectRouter) => void): (router: ConnectRouter) => void {
  return (router) => {
    register(router)
    router.handlers.forEach((handler, i) => {
      const wrapped: UniversalHandler = Object.assign((req: Parameters<UniversalHandler>[0]) => handler(req).then(blameTheCaller), handler)
      router.handlers[i] = wrapped
    })
  }
}
