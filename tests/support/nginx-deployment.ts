import { testDatabase } from '@/lib/testing/fresh-database'
// The production layout of the README's "Several instances behind nginx": two built app
// instances on one PostgreSQL, nginx in front with TLS (deploy/nginx.conf, a self-signed
// certificate), PUBLIC_URL the https:// address and TRUST_PROXY naming nginx. Tests drive it
// through `base` only, and ask `servedBy` which instance answered a request. It builds
// nothing: `npm run build` first.
import { randomBytes, randomUUID } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { ownPostgres } from './own-postgres'
import { freePort, startServer, waitUntil, type ServerProcess } from './server-process'
import { NginxPortTaken, httpsRequest, selfSignedCertificate, startNginx, type Certificate, type HttpsAnswer, type Nginx } from './nginx'

/**
 * The PostgreSQL the instances share: the test file's own database when DATABASE_URL is
 * set, else a private server (tests/support/own-postgres.ts), so that the test always runs.
 */
export async function sharedPostgres(): Promise<{ url: string; destroy: () => void }> {
  if (testDatabase.kind === 'postgres') return { url: testDatabase.url, destroy: () => undefined }
  const own = await ownPostgres()
  return { url: own.url, destroy: own.destroy }
}

export type Deployment = {
  /** the site's address: https://127.0.0.1:<nginx's port> */
  base: string
  /** the gRPC door through nginx, with TLS: https://127.0.0.1:<nginx's gRPC port> */
  grpcBase: string
  /** the certificate's file, for clients that trust it (NODE_EXTRA_CA_CERTS, https `ca`) */
  ca: string
  instances: [ServerProcess, ServerProcess]
  nginx: Nginx
  /** which instance (0 or 1) logged the request with this x-request-id */
  servedBy: (requestId: string) => Promise<0 | 1>
  /** a Connect JSON call through nginx (from `from`, a loopback address): its answer, and which instance served it */
  call: (method: string, body: object, options?: { from?: string; headers?: Record<string, string> }) => Promise<ApiAnswer>
  stop: () => Promise<void>
}

export type ApiAnswer = { json: Record<string, unknown> & { code?: string }; instance: 0 | 1; headers: HttpsAnswer['headers'] }

/** nginx's own address as the instances see it: the one TRUST_PROXY names. */
export const NGINX_ADDRESS = '127.0.0.1'

/**
 * Starts the two instances and nginx. The site's address must be known before the instances
 * start (PUBLIC_URL), so nginx's port is chosen first; if another process takes it before
 * nginx binds it, the whole start is tried again on another port. Whatever fails, nothing
 * is left running.
 */
export async function deployBehindNginx(options: {
  databaseUrl: string
  env?: Record<string, string>
  /** a gray release: instance 0 alone is the release in service, instance 1 alone the new one, with this share of users on it (by default both instances are in both groups, share 0) */
  grayShare?: number
}): Promise<Deployment> {
  const secret = randomBytes(32).toString('hex')
  for (let attempt = 1; ; attempt++) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fc-deploy-'))
    const started: ServerProcess[] = []
    const cleanUp = async () => {
      await Promise.all(started.map((s) => (s.exited() ? undefined : s.stop('SIGKILL'))))
      fs.rmSync(dir, { recursive: true, force: true })
    }
    try {
      const certificate: Certificate = selfSignedCertificate(dir)
      const [port, grpcPort] = [await freePort(), await freePort()]
      const base = `https://127.0.0.1:${port}`
      const env = { DATABASE_URL: options.databaseUrl, PGLITE_DIR: undefined, AUTH_SECRET: secret, PUBLIC_URL: base, TRUST_PROXY: NGINX_ADDRESS, ...options.env }
      // both starts settle before a failure is thrown, so that clean-up sees every process
      const starts = await Promise.allSettled([startServer(env), startServer(env)])
      for (const start of starts) if (start.status === 'fulfilled') started.push(start.value)
      const failed = starts.find((start) => start.status === 'rejected')
      if (failed) throw failed.reason
      const instances = started
      const [a, b] = instances
      const nginx = await startNginx(
        options.grayShare === undefined
          ? { port, grpcPort, upstreams: [a.base, b.base], grpcUpstreams: [a.grpcPort, b.grpcPort], certificate }
          : { port, grpcPort, upstreams: [a.base, a.base], grpcUpstreams: [a.grpcPort, a.grpcPort], newUpstreams: [b.base, b.base], newGrpcUpstreams: [b.grpcPort, b.grpcPort], share: options.grayShare, certificate },
      )
      const pair: [ServerProcess, ServerProcess] = [instances[0], instances[1]]
      const call: Deployment['call'] = async (method, body, { from, headers } = {}) => {
        const requestId = randomUUID()
        const answer = await httpsRequest(`${base}/api/${method}`, {
          ca: certificate.cert,
          method: 'POST',
          localAddress: from,
          headers: { 'content-type': 'application/json', 'x-request-id': requestId, ...headers },
          body: JSON.stringify(body),
        })
        if (answer.status !== 200) throw new Error(`${method}: HTTP ${answer.status} ${answer.text}`)
        return { json: JSON.parse(answer.text) as ApiAnswer['json'], instance: await servedBy(pair, requestId), headers: answer.headers }
      }
      return {
        base,
        grpcBase: `https://${nginx.grpcAddress}`,
        ca: certificate.cert,
        instances: pair,
        nginx,
        servedBy: (requestId) => servedBy(pair, requestId),
        call,
        stop: async () => {
          await nginx.stop()
          await cleanUp()
        },
      }
    } catch (error) {
      await cleanUp()
      if (!(error instanceof NginxPortTaken) || attempt === 3) throw error
    }
  }
}

async function servedBy(instances: [ServerProcess, ServerProcess], requestId: string): Promise<0 | 1> {
  const marker = `"requestId":"${requestId}"`
  let found: 0 | 1 | undefined
  // an instance writes a request's log line as the answer finishes: wait for it
  await waitUntil(
    () => {
      const hits = instances.map((s) => s.output().includes(marker))
      if (hits[0] && hits[1]) throw new Error(`both instances logged request ${requestId}`)
      found = hits[0] ? 0 : hits[1] ? 1 : undefined
      return found !== undefined
    },
    30_000,
    () => `no instance logged request ${requestId}`,
  )
  return found!
}
