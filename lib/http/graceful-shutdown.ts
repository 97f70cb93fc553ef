import type http from 'node:http'
import type http2 from 'node:http2'

/** The open HTTP/2 connections of a server, so that shutdown can close them. */
export function trackSessions(server: http2.Http2Server): Set<http2.ServerHttp2Session> {
  const sessions = new Set<http2.ServerHttp2Session>()
  server.on('session', (session) => {
    sessions.add(session)
    session.once('close', () => sessions.delete(session))
  })
  return sessions
}

/**
 * Stops taking connections and lets in-flight requests finish: keep-alive
 * connections are closed as they turn idle, HTTP/2 connections after their open
 * calls. Resolves when both servers have closed.
 */
export async function closeServers(server: http.Server, grpcServer: http2.Http2Server, sessions: Set<http2.ServerHttp2Session>): Promise<void> {
  const httpClosed = new Promise((resolve) => server.close(resolve))
  const grpcClosed = new Promise((resolve) => grpcServer.close(resolve))
  server.closeIdleConnections()
  const idle = setInterval(() => server.closeIdleConnections(), 50)
  for (const session of sessions) session.close()
  await Promise.all([httpClosed, grpcClosed])
  clearInterval(idle)
}

/** Listens on the port (0: one the system picks) and resolves with the port it got. */
export function listen(target: http.Server | http2.Http2Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    target.once('error', reject)
    target.listen(port, host, () => {
      target.off('error', reject)
      const address = target.address()
      resolve(typeof address === 'object' && address ? address.port : port)
    })
  })
}
