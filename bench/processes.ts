// Starting, watching and stopping the processes of a run: the app, the floor,
// the load process. Only processes started here are ever signalled, by their pid.
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import pg from 'pg'

export type Server = {
  name: string
  url: string
  pid: number
  /** user + system CPU seconds used so far */
  cpuSeconds: () => number
  stop: () => Promise<void>
}

export async function freePort(): Promise<number> {
  const server = net.createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  await new Promise<void>((resolve) => server.close(() => resolve()))
  if (!address || typeof address === 'string') throw new Error('no free port')
  return address.port
}

const TICKS_PER_SECOND = 100 // Linux USER_HZ

/** utime + stime of a process, from /proc; 0 when it is gone. */
export function cpuSecondsOf(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND
  } catch {
    return 0
  }
}

export type MachineTimes = { total: number; idle: number; steal: number }

/** The machine's CPU time so far (all cores), from /proc/stat: how much was idle, and stolen by the hypervisor. */
export function machineTimes(): MachineTimes {
  const fields = fs.readFileSync('/proc/stat', 'utf8').split('\n', 1)[0].trim().split(/\s+/).slice(1).map(Number)
  // user nice system idle iowait irq softirq steal (guest time is already in user)
  const [user, nice, system, idle, iowait, irq, softirq, steal] = fields
  return { total: user + nice + system + idle + iowait + irq + softirq + steal, idle: idle + iowait, steal }
}

/**
 * CPU seconds so far of each PostgreSQL backend serving one database (the servers' pools), by pid:
 * client backends only, not the autovacuum workers that a phase's writes may start.
 */
export async function databaseCpuSeconds(url: string, database: string): Promise<Map<number, number>> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    const { rows } = await client.query<{ pid: number }>("SELECT pid FROM pg_stat_activity WHERE datname = $1 AND backend_type = 'client backend' AND pid <> pg_backend_pid()", [database])
    return new Map(rows.map((r) => [r.pid, cpuSecondsOf(r.pid)]))
  } finally {
    await client.end()
  }
}

/**
 * Vacuums and analyses the run's database, so that a measured window starts with nothing
 * for autovacuum to do: otherwise the server measured first would share its cores with
 * the autovacuum that the writes before it (its warm-up, the dataset, the other server's
 * phase) set off, and the one measured second would not.
 */
export async function settleDatabase(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    await client.query('VACUUM (ANALYZE)')
  } finally {
    await client.end()
  }
}

/** CPU used between two readings by the backends alive at the second (a pool opens and closes them). */
export function databaseCpuBetween(before: Map<number, number>, after: Map<number, number>): number {
  let sum = 0
  for (const [pid, seconds] of after) sum += seconds - (before.get(pid) ?? 0)
  return sum
}

async function waitFor(url: string, child: ChildProcess, timeoutMs: number) {
  const until = Date.now() + timeoutMs
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`${url}: the process exited with ${child.exitCode} before answering`)
    try {
      const res = await fetch(url)
      if (res.ok) return
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250))
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`)
}

export async function startServer(options: {
  name: string
  args: string[]
  env: NodeJS.ProcessEnv
  port: number
  readyPath: string
  logFile: string
}): Promise<Server> {
  const log = fs.openSync(options.logFile, 'w')
  const child = spawn(process.execPath, options.args, { env: options.env, stdio: ['ignore', log, log] })
  fs.closeSync(log)
  const url = `http://127.0.0.1:${options.port}`
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  try {
    await waitFor(url + options.readyPath, child, 90_000)
  } catch (error) {
    child.kill('SIGKILL')
    throw new Error(`${options.name} did not start (see ${options.logFile}): ${(error as Error).message}`)
  }
  const pid = child.pid as number
  return {
    name: options.name,
    url,
    pid,
    cpuSeconds: () => cpuSecondsOf(pid),
    stop: async () => {
      if (child.exitCode !== null) return
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000)
      await exited
      clearTimeout(timer)
    },
  }
}

/** Runs a node script to completion and returns its last stdout line parsed as JSON. */
export function runNodeJson<T>(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'inherit'] })
    let out = ''
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')))
    child.on('error', reject)
    child.on('exit', (code: number | null) => {
      const last = out.trim().split('\n').pop() ?? ''
      if (code !== 0) return reject(new Error(`node ${args.join(' ')} exited with ${code}`))
      try {
        resolve(JSON.parse(last) as T)
      } catch {
        reject(new Error(`node ${args.join(' ')} printed no JSON: ${last.slice(0, 200)}`))
      }
    })
  })
}
