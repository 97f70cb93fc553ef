import type http from 'node:http'
import type http2 from 'node:http2'
import { createConnectRouter } from '@connectrpc/connect'
import type { ConnectNodeAdapterOptions } from '@connectrpc/connect-node'
import { BODY_MAX_BYTES } from '@/lib/http/body-limit'
import { unimplemented } from '@/lib/http/send-json'
import { withCallerFaults } from '@/lib/rpc/caller-faults'
import { observe } from '@/lib/rpc/interceptors'
import { nodeAdapter } from '@/lib/rpc/node-adapter'
import { routes, rpcContextValues } from '@/lib/rpc/routes'

type NodeHandler = NonNullable<ConnectNodeAdapterOptions['fallback']>

const options = {
  routes: withCallerFaults(routes),
  interceptors: [observe],
  contextValues: rpcContextValues,
  readMaxBytes: BODY_MAX_BYTES,
  writeMaxBytes: 4 << 20,
  // proto3 JSON drops "", 0 and [] unless told otherwise; API clients expect every field of the published messages
  jsonOptions: { alwaysEmitImplicit: true },
} satisfies Partial<ConnectNodeAdapterOptions>

/** The same routes through two doors: Connect under /api on the HTTP/1.1 port, and gRPC on the h2c port. */
export function createRpcAdapters() {
  const api = nodeAdapter({
    ...options,
    requestPathPrefix: '/api',
    fallback: ((req: http.IncomingMessage, res: http.ServerResponse) => unimplemented(res, (req.url ?? '').split('?', 1)[0].slice('/api/'.length))) as NodeHandler,
  })

  const grpcFallback = ((req: http2.Http2ServerRequest, res: http2.Http2ServerResponse) => {
    const contentType = req.headers['content-type'] ?? ''
    const procedure = (req.url ?? '').split('?', 1)[0].slice(1)
    if (!contentType.startsWith('application/grpc')) return unimplemented(res, procedure)
    // gRPC reports the outcome in trailers, over HTTP 200
    res.writeHead(200, { 'content-type': contentType })
    // grpc-message is percent-encoded, but only outside printable ASCII (and '%' itself)
    const message = `${procedure} is not implemented`.replace(/[^\x20-\x24\x26-\x7e]/gu, encodeURIComponent)
    res.addTrailers({ 'grpc-status': '12', 'grpc-message': message })
    res.end()
  }) as NodeHandler

  // the gRPC door's paths, /package.Service/Method: the only values its metrics label a call with
  const router = createConnectRouter()
  routes(router)
  const grpcProcedures = new Set(router.handlers.map((handler) => handler.requestPath))

  return { api, grpc: nodeAdapter({ ...options, fallback: grpcFallback }), grpcProcedures }
}
