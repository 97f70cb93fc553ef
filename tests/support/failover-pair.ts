// A PostgreSQL primary with a synchronous standby on this machine, and a moving
// endpoint in front of them (haproxy), for the failover test: the Debian way
// (pg_createcluster, pg_basebackup -R, pg_ctlcluster), on clusters and ports of its
// own, never the machine's `main` cluster.
//
// The endpoint asks each server every second whether it is the writable primary
// (`SELECT pg_is_in_recovery()`, as Patroni's REST check does for its haproxy) and
// sends new connections only to the one that is; connections to a server marked
// down are cut. node-postgres has no multi-host connection strings, so following
// the primary is the endpoint's job.
//
// Building and tearing down are idempotent: building a tag that exists drops it
// first, tearing down what is gone does nothing, and a build sweeps what an earlier
// run that died left behind (its owner process no longer alive).
//
//   npx tsx tests/support/failover-pair.ts up [tag]    prints the endpoint's URL
//   npx tsx tests/support/failover-pair.ts down [tag]
import { execFileSync, spawn } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { freePort } from './server-process'

const STATE_ROOT = path.join(os.tmpdir(), 'fc-failover')
const CLUSTER_PREFIX = 'fcfailover'
const STANDBY_NAME = 'fcstandby'
const CHECK_INTERVAL_MS = 1000

export type FailoverPair = {
  /** the moving endpoint: always the writable primary, once there is one */
  url: string
  primaryUrl: string
  standbyUrl: string
  /** stops the primary the way a crash does (pg_ctlcluster … stop -m immediate) */
  killPrimary: () => void
  /** promotes the standby to primary (pg_ctlcluster … promote) */
  promoteStandby: () => void
  tearDown: () => void
}

function version(): string {
  const found = fs.existsSync('/usr/lib/postgresql') ? fs.readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a))[0] : undefined
  if (!found) throw new Error('no PostgreSQL server under /usr/lib/postgresql: apt-get install postgresql')
  return found
}

function run(tool: string, args: string[], asPostgres = false): string {
  const [file, argv] = asPostgres && process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', tool, ...args]] : [tool, args]
  try {
    return execFileSync(file, argv, { stdio: 'pipe', encoding: 'utf8' })
  } catch (error) {
    const e = error as { stderr?: string; stdout?: string; message: string }
    throw new Error(`${tool} ${args.join(' ')} failed: ${e.stderr || e.stdout || e.message}`)
  }
}

const clusterName = (tag: string, role: 'a' | 'b') => `${CLUSTER_PREFIX}_${tag}_${role}`
const stateDir = (tag: string) => path.join(STATE_ROOT, tag)

function clusterExists(name: string): boolean {
  return run('pg_lsclusters', ['-h']).split('\n').some((line) => line.split(/\s+/)[1] === name)
}

function dropCluster(name: string): void {
  if (clusterExists(name)) run('pg_dropcluster', ['--stop', version(), name])
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

/** Stops the endpoint and drops both clusters of `tag`; what is already gone is skipped. */
export function tearDownFailoverPair(tag: string): void {
  const dir = stateDir(tag)
  const pidFile = path.join(dir, 'haproxy.pid')
  if (fs.existsSync(pidFile)) {
    const pid = Number(fs.readFileSync(pidFile, 'utf8').trim())
    if (pid > 0 && alive(pid)) process.kill(pid, 'SIGTERM')
  }
  dropCluster(clusterName(tag, 'a'))
  dropCluster(clusterName(tag, 'b'))
  fs.rmSync(dir, { recursive: true, force: true })
}

/** Tears down the pairs whose owner process has gone (a run that was killed). */
function sweepAbandoned(): void {
  if (!fs.existsSync(STATE_ROOT)) return
  for (const tag of fs.readdirSync(STATE_ROOT)) {
    const ownerFile = path.join(STATE_ROOT, tag, 'owner')
    const owner = fs.existsSync(ownerFile) ? Number(fs.readFileSync(ownerFile, 'utf8').trim()) : 0
    if (!owner || !alive(owner)) tearDownFailoverPair(tag)
  }
}

/** Each server's state as the endpoint sees it (UP, DOWN, …), from its stats socket. */
function serverStates(socket: string): Promise<Record<string, string>> {
  return new Promise((resolve, reject) => {
    let text = ''
    const connection = net.createConnection(socket, () => connection.write('show stat\n'))
    connection.on('data', (chunk: Buffer) => (text += chunk.toString()))
    connection.on('error', reject)
    connection.on('end', () => {
      const [header, ...rows] = text.trim().split('\n').map((line) => line.replace(/^# /, '').split(','))
      const [name, status] = [header.indexOf('svname'), header.indexOf('status')]
      resolve(Object.fromEntries(rows.filter((r) => r[name]?.startsWith('pg')).map((r) => [r[name], r[status].split(' ')[0]])))
    })
  })
}

function endpointConfig(port: number, servers: number[], checkScript: string, socket: string): string {
  return `global
  maxconn 500
  stats socket ${socket} mode 600
  log stderr format iso local0
  # the primary check runs psql, which haproxy only forks when told it may
  external-check
  insecure-fork-wanted

defaults
  mode tcp
  log global
  option tcplog
  timeout connect 1s
  timeout client 1h
  timeout server 1h

listen postgres
  bind 127.0.0.1:${port}
  option external-check
  external-check path "/usr/bin:/bin"
  external-check command ${checkScript}
  # two failed checks mark a server down and cut its connections; one passed check brings it in.
  # An external check may take no longer than the interval: psql starting on a busy machine needs it
  default-server inter ${CHECK_INTERVAL_MS}ms fall 2 rise 1 on-marked-down shutdown-sessions
${servers.map((p, i) => `  server pg${i} 127.0.0.1:${p} check`).join('\n')}
`
}

// haproxy runs it with: <proxy addr> <proxy port> <server addr> <server port>
const CHECK_SCRIPT = `#!/bin/sh
[ "$(PGCONNECT_TIMEOUT=1 psql -h "$3" -p "$4" -U postgres -d postgres -XtAc 'SELECT pg_is_in_recovery()' 2>/dev/null)" = f ]
`

/**
 * Builds the primary (synchronous_commit = on, the standby named in
 * synchronous_standby_names, so an acknowledged commit is on both), the standby
 * (pg_basebackup -R from the primary; no synchronous standby of its own, so that
 * once promoted alone it still commits) and the endpoint, and waits until the
 * endpoint reaches the primary. `tag` names the clusters and the state folder.
 */
export async function buildFailoverPair(tag = `p${process.pid}`): Promise<FailoverPair> {
  if (!/^[a-z0-9]{1,20}$/.test(tag)) throw new Error(`not a tag: ${tag} (lower-case letters and digits)`)
  if (!fs.existsSync('/usr/sbin/haproxy')) throw new Error('no /usr/sbin/haproxy: apt-get install haproxy')
  sweepAbandoned()
  tearDownFailoverPair(tag)
  try {
    return await build(tag)
  } catch (error) {
    // a build that failed part-way leaves nothing behind
    tearDownFailoverPair(tag)
    throw error
  }
}

async function build(tag: string): Promise<FailoverPair> {
  const v = version()
  const dir = stateDir(tag)
  fs.mkdirSync(dir, { recursive: true })
  fs.writeFileSync(path.join(dir, 'owner'), String(process.pid))
  const [primaryPort, standbyPort, endpointPort] = [await freePort(), await freePort(), await freePort()]
  const [primary, standby] = [clusterName(tag, 'a'), clusterName(tag, 'b')]
  // wal_log_hints, and WAL kept past checkpoints (the crash recovery pg_rewind runs first is one):
  // pg_rewind can then bring the old primary back as a standby of the new one
  const common = ['-o', 'max_connections=100', '-o', 'wal_level=replica', '-o', 'wal_log_hints=on', '-o', 'wal_keep_size=256MB']

  run('pg_createcluster', [v, primary, '-p', String(primaryPort), ...common,
    '-o', `synchronous_standby_names=${STANDBY_NAME}`, '-o', 'synchronous_commit=on',
    '--', '--auth=trust', '-E', 'UTF8'])
  run('pg_ctlcluster', ['--skip-systemctl-redirect', v, primary, 'start'])

  run('pg_createcluster', [v, standby, '-p', String(standbyPort), ...common, '-o', 'hot_standby=on', '--', '--auth=trust', '-E', 'UTF8'])
  const standbyData = `/var/lib/postgresql/${v}/${standby}`
  // emptied, not removed: the folder is the postgres user's, in a parent it may not write
  for (const entry of fs.readdirSync(standbyData)) fs.rmSync(path.join(standbyData, entry), { recursive: true, force: true })
  run('pg_basebackup', ['-d', `host=127.0.0.1 port=${primaryPort} user=postgres application_name=${STANDBY_NAME}`,
    '-D', standbyData, '-R', '-X', 'stream', '-c', 'fast'], true)
  run('pg_ctlcluster', ['--skip-systemctl-redirect', v, standby, 'start'])

  const psql = (port: number, sql: string) => run('psql', ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-d', 'postgres', '-XtAc', sql]).trim()
  // synchronous: the standby streams and the primary counts it as its synchronous one
  const deadline = Date.now() + 30_000
  while (psql(primaryPort, `SELECT sync_state FROM pg_stat_replication WHERE application_name = '${STANDBY_NAME}'`) !== 'sync') {
    if (Date.now() > deadline) throw new Error('the standby did not become the synchronous standby within 30 s')
    await new Promise((resolve) => setTimeout(resolve, 100))
  }

  const checkScript = path.join(dir, 'is-primary.sh')
  fs.writeFileSync(checkScript, CHECK_SCRIPT, { mode: 0o755 })
  const config = path.join(dir, 'haproxy.cfg')
  const pidFile = path.join(dir, 'haproxy.pid')
  fs.writeFileSync(config, endpointConfig(endpointPort, [primaryPort, standbyPort], checkScript, path.join(dir, 'haproxy.sock')))
  run('/usr/sbin/haproxy', ['-c', '-q', '-f', config])
  // in the foreground of a process of its own, its log (checks, servers up and down, connections) in the state folder
  const log = fs.openSync(path.join(dir, 'haproxy.log'), 'a')
  const endpoint = spawn('/usr/sbin/haproxy', ['-db', '-f', config], { detached: true, stdio: ['ignore', log, log] })
  fs.closeSync(log)
  endpoint.unref()
  fs.writeFileSync(pidFile, String(endpoint.pid))

  const url = (port: number) => `postgresql://postgres@127.0.0.1:${port}/postgres`
  // haproxy counts every server up until its checks say otherwise: ready once the standby is out
  const socket = path.join(dir, 'haproxy.sock')
  const ready = Date.now() + 30_000
  for (;;) {
    const states = await serverStates(socket).catch(() => ({}) as Record<string, string>)
    if (states.pg0 === 'UP' && states.pg1 === 'DOWN') break
    if (Date.now() > ready) throw new Error(`the endpoint did not settle on the primary within 30 s: ${JSON.stringify(states)}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  if (psql(endpointPort, 'SELECT pg_is_in_recovery()') !== 'f') throw new Error('the endpoint leads to a standby')

  return {
    url: url(endpointPort),
    primaryUrl: url(primaryPort),
    standbyUrl: url(standbyPort),
    killPrimary: () => run('pg_ctlcluster', ['--skip-systemctl-redirect', v, primary, 'stop', '-m', 'immediate']),
    promoteStandby: () => run('pg_ctlcluster', ['--skip-systemctl-redirect', v, standby, 'promote']),
    tearDown: () => tearDownFailoverPair(tag),
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const [command, tag = 'manual'] = process.argv.slice(2)
  if (command === 'up') {
    const pair = await buildFailoverPair(tag)
    // a pair built by hand is not swept as abandoned when this command exits
    fs.writeFileSync(path.join(stateDir(tag), 'owner'), String(process.ppid))
    console.log(pair.url)
  } else if (command === 'down') {
    tearDownFailoverPair(tag)
  } else {
    console.error('usage: failover-pair.ts up|down [tag]')
    process.exit(2)
  }
}
