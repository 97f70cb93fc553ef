// A PostgreSQL server of the test's own (initdb in a temporary directory, its
// own port), so that a fault test can stop and start it without touching the
// server other tests use. Needs the PostgreSQL server binaries and, as root,
// runs them as the postgres user (initdb refuses root).
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { freePort } from './server-process'

function binDir(): string {
  const base = '/usr/lib/postgresql'
  const version = fs.readdirSync(base).sort((a, b) => Number(b) - Number(a))[0]
  if (!version) throw new Error(`no PostgreSQL server under ${base}: apt-get install postgresql`)
  return path.join(base, version, 'bin')
}

export type OwnPostgres = { url: string; stop: () => void; start: () => void; destroy: () => void }

export async function ownPostgres(): Promise<OwnPostgres> {
  const bin = binDir()
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fc-pg-'))
  const asRoot = process.getuid?.() === 0
  if (asRoot) execFileSync('chown', ['postgres:postgres', dir])
  const run = (tool: string, args: string[]) =>
    asRoot
      ? execFileSync('runuser', ['-u', 'postgres', '--', path.join(bin, tool), ...args], { stdio: 'pipe' })
      : execFileSync(path.join(bin, tool), args, { stdio: 'pipe' })
  const data = path.join(dir, 'data')
  const port = await freePort()
  run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-instructions'])
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`
  const start = () => run('pg_ctl', ['-D', data, '-o', options, '-l', path.join(dir, 'log'), '-w', 'start'])
  // immediate: connections die the way they do when a server crashes
  const stop = () => run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop'])
  start()
  return {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    start,
    stop,
    destroy: () => {
      try {
        stop()
      } catch {
        // already stopped
      }
      fs.rmSync(dir, { recursive: true, force: true })
    },
  }
}
