import http from 'node:http'
import http2 from 'node:http2'
import type net from 'node:net'
import type { TrustProxy } from '@/lib/http/client-address'
import { capConnectionsPerAddress } from '@/lib/http/grpc-address-cap'
import { limitPings } from '@/lib/http/grpc-pings'

// How long a client may hold the server's connections, and how much it may ask at once.
// Without them Node waits 60 s for headers, 5 min for a request, and forever on an
// idle HTTP/2 connection, so a few thousand slow or silent clients could hold every
// socket the process has.
export type ConnectionLimits = {
  /** the request line and headers must arrive within this */
  HTTP_HEADERS_TIMEOUT_MS: number
  /** the whole request, body included, must arrive within this; on the gRPC door, a call's deadline (lib/rpc/deadline.ts) */
  HTTP_REQUEST_TIMEOUT_MS: number
  /** a connection with no request in flight is closed after this (HTTP/1.1 keep-alive and HTTP/2 alike) */
  IDLE_TIMEOUT_MS: number
}

/** The gRPC door's own: its calls, connections and pings (docs/operations.md#configuration). */
export type GrpcLimits = ConnectionLimits & {
  GRPC_MAX_CONCURRENT_STREAMS: number
  GRPC_MAX_CONNECTIONS_PER_ADDRESS: number
  GRPC_MIN_PING_INTERVAL_MS: number
  TRUST_PROXY: TrustProxy
}

export type GrpcRefusal = 'address_limit' | 'too_many_pings'

/**
 * The HTTP/1.1 server: headers and whole requests on a clock (checked every second;
 * Node's default is every 30 s), and a connection that carries nothing for the idle
 * timeout closed, whether it is between requests (keep-alive) or never sent one. A
 * request in flight is not cut by the idle clock, however long its answer takes.
 */
export function createHttpServer(limits: ConnectionLimits): http.Server {
  const server = http.createServer({
    headersTimeout: limits.HTTP_HEADERS_TIMEOUT_MS,
    requestTimeout: limits.HTTP_REQUEST_TIMEOUT_MS,
    keepAliveTimeout: limits.IDLE_TIMEOUT_MS,
    connectionsCheckingInterval: Math.min(1000, limits.HTTP_HEADERS_TIMEOUT_MS),
  })
  server.on('connection', (socket: net.Socket) => socket.setTimeout(limits.IDLE_TIMEOUT_MS))
  server.on('request', (req: http.IncomingMessage) => req.socket.setTimeout(0))
  return server
}

/**
 * The HTTP/2 (gRPC) server: at most GRPC_MAX_CONCURRENT_STREAMS calls at once per
 * connection (the ones over it refused with REFUSED_STREAM), at most
 * GRPC_MAX_CONNECTIONS_PER_ADDRESS connections per client, keepalive pings no closer
 * than GRPC_MIN_PING_INTERVAL_MS, and a connection idle for the timeout closed (its
 * open calls finish first: each has a deadline, lib/rpc/deadline.ts).
 */
export function createGrpcServer(limits: GrpcLimits, onRefused: (reason: GrpcRefusal) => void): http2.Http2Server {
  const server = http2.createServer({
    settings: { maxConcurrentStreams: limits.GRPC_MAX_CONCURRENT_STREAMS },
    // a peer that keeps breaking the protocol, or keeps opening streams over the cap, is
    // cut off (GOAWAY ENHANCE_YOUR_CALM) after this many; Node's defaults are 1000 and 100
    maxSessionInvalidFrames: 100,
    maxSessionRejectedStreams: 100,
  })
  capConnectionsPerAddress(server, limits.GRPC_MAX_CONNECTIONS_PER_ADDRESS, limits.TRUST_PROXY, () => onRefused('address_limit'))
  // A client that stops reading keeps its socket open after its connection is closed, as
  // Node waits to flush what it wrote: a socket with nothing read or written for longer than
  // the idle timeout and any call's deadline together is cut.
  server.on('connection', (socket: net.Socket) => socket.setTimeout(limits.IDLE_TIMEOUT_MS + limits.HTTP_REQUEST_TIMEOUT_MS, () => socket.destroy()))
  server.on('session', (session) => {
    if (session.destroyed) return
    limitPings(session, limits.GRPC_MIN_PING_INTERVAL_MS, () => onRefused('too_many_pings'))
    session.setTimeout(limits.IDLE_TIMEOUT_MS, () => session.close())
  })
  return server
}
