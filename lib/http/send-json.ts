import type http from 'node:http'
import type http2 from 'node:http2'

/** A JSON answer of the server's own (probes, refusals, unknown RPCs): never cached. */
export function sendJson(res: http.ServerResponse | http2.Http2ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.statusCode = status
  for (const [name, value] of Object.entries({ 'content-type': 'application/json', 'cache-control': 'no-store', ...headers })) res.setHeader(name, value)
  res.end(JSON.stringify(body))
}

/** Connect's answer for an RPC path no route serves, instead of Next's HTML 404. */
export const unimplemented = (res: http.ServerResponse | http2.Http2ServerResponse, procedure: string) =>
  sendJson(res, 404, { code: 'unimplemented', message: `${procedure} is not implemented` })
