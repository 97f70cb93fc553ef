// Starts the built server (dist/server.js + a Next production build) as a child
// process on free ports, for tests that need the real thing. It builds nothing.
import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import { waitUntil } from '../../lib/testing/wait-until'

export const root = path.resolve(import.meta.dirname, '../..')
/** The server's data encryption key (production mode requires one), which the admin commands of a test must share to seal and open the same secrets. */
export const testDataEncryptionKey = process.env.DATA_ENCRYPTION_KEY ?? randomBytes(32).toString('hex')
const STARTUP_TIMEOUT_MS = 60_000

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo
      probe.close(() => resolve(port))
    })
  })
}

export type ServerProcess = {
  child: ChildProcess
  base: string
  grpcPort: number
  /** everything the server printed so far */
  output: () => string
  /** the log line the server wrote once it listened (its ports, mode, Node version) */
  listening: () => Record<string, unknown> | undefined
  exited: () => boolean
  /** sends the signal and resolves with the exit code */
  stop: (signal?: NodeJS.Signals) => Promise<number | null>
}

/**
 * Starts the server on two free ports. A port found free can be taken by another
 * process before the server binds it; then the server exits with EADDRINUSE and
 * the start is tried again on other ports. `root` names another built copy of the project (an earlier release).
 */
export async function startServer(extraEnv: Record<string, string | undefined> = {}, options: { root?: string } = {}): Promise<ServerProcess> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(extraEnv, options.root ?? root)
    } catch (error) {
      if (!(error instanceof PortTakenError) || attempt === 3) throw error
    }
  }
}

class PortTakenError extends Error {}

async function startOnce(extraEnv: Record<string, string | undefined>, projectRoot: string): Promise<ServerProcess> {
  const distDir = process.env.NEXT_DIST_DIR ?? '.next'
  const missing = [path.join(projectRoot, 'dist/server.js'), path.join(projectRoot, distDir, 'BUILD_ID')].filter((f) => !fs.existsSync(f))
  if (missing.length) throw new Error(`missing ${missing.join(' and ')}: run \`npm run build\` first`)
  const [port, grpcPort] = [await freePort(), await freePort()]
  const env: Record<string, string | undefined> = {
    ...process.env,
    NODE_ENV: 'production',
    NEXT_DIST_DIR: distDir,
    HOST: '127.0.0.1',
    PORT: String(port),
    GRPC_PORT: String(grpcPort),
    LOG_LEVEL: 'info',
    NEXT_TELEMETRY_DISABLED: '1',
    // production mode with PostgreSQL requires a real secret
    AUTH_SECRET: process.env.AUTH_SECRET ?? randomBytes(32).toString('hex'),
    DATA_ENCRYPTION_KEY: testDataEncryptionKey,
    ...extraEnv,
  }
  delete env.METRICS_TOKEN
  if (extraEnv.METRICS_TOKEN) env.METRICS_TOKEN = extraEnv.METRICS_TOKEN
  const logsInfo = !['warn', 'error', 'fatal', 'silent'].includes(String(env.LOG_LEVEL))
  const child = spawn(process.execPath, ['--enable-source-maps', 'dist/server.js'], { cwd: projectRoot, env: env as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const exited = () => child.exitCode !== null || child.signalCode !== null
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  const server: ServerProcess = {
    child,
    base: `http://127.0.0.1:${port}`,
    grpcPort,
    output: () => output,
    listening: () =>
      output
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>)
        .find((entry) => entry.msg === 'listening'),
    exited,
    stop: async (signal = 'SIGTERM') => {
      if (!exited()) child.kill(signal)
      return exit
    },
  }
  await waitUntil(async () => {
    if (exited()) {
      const message = `the server exited (${child.exitCode ?? child.signalCode}) before it was healthy:\n${output}`
      throw output.includes('EADDRINUSE') ? new PortTakenError(message) : new Error(message)
    }
    const healthy = await fetch(`${server.base}/healthz`).then((res) => res.ok, () => false)
    // the log is written asynchronously: the line saying it listens may come just after the first answer
    return healthy && (!logsInfo || server.listening() !== undefined)
  }, STARTUP_TIMEOUT_MS, () => `the server was not healthy after ${STARTUP_TIMEOUT_MS} ms:\n${output}`)
  return server
}

export { waitUntil } from '../../lib/testing/wait-until'

// the RPC helper lives in tests/support/rpc.ts; imported from here too
export { call } from './rpc'
