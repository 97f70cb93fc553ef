import fs from 'node:fs'
import path from 'node:path'

// PGlite keeps no lock of its own: two processes writing one data directory
// silently lose data. A lock file holding the owner's pid makes the second
// opener fail at once instead.
const LOCK_FILE = 'fcdeduction.lock'

export class EmbeddedDatabaseInUseError extends Error {
  constructor(
    dir: string,
    readonly pid: number,
    /** the owner's socket (lib/db/embedded-socket.ts), when it serves the database to other processes */
    readonly socket?: string,
  ) {
    super(
      `The embedded database in ${dir} is already open in process ${pid}. ` +
        'PGlite cannot be shared between processes: stop that process first ' +
        '(the app, a seed or an admin command), or set DATABASE_URL to use PostgreSQL.',
    )
    this.name = 'EmbeddedDatabaseInUseError'
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: the process exists but belongs to someone else
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** Takes the directory's lock or throws EmbeddedDatabaseInUseError; returns the release function. */
export function lockDataDirectory(dir: string): () => void {
  fs.mkdirSync(dir, { recursive: true })
  const file = path.join(dir, LOCK_FILE)
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, JSON.stringify({ pid: process.pid, since: new Date().toISOString() }), { flag: 'wx' })
      let released = false
      const release = () => {
        if (released) return
        released = true
        process.off('exit', release)
        fs.rmSync(file, { force: true })
      }
      process.on('exit', release)
      return release
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      const owner = readOwner(file)
      if (owner !== undefined && owner.pid !== process.pid && isAlive(owner.pid)) {
        throw new EmbeddedDatabaseInUseError(dir, owner.pid, owner.socket)
      }
      // left behind by a process that died without cleaning up (or unreadable): take it over
      fs.rmSync(file, { force: true })
    }
  }
  throw new Error(`Could not lock the embedded database in ${dir}`)
}

function readOwner(file: string): { pid: number; socket?: string } | undefined {
  try {
    const { pid, socket } = JSON.parse(fs.readFileSync(file, 'utf8')) as { pid?: unknown; socket?: unknown }
    if (typeof pid !== 'number') return undefined
    return { pid, socket: typeof socket === 'string' ? socket : undefined }
  } catch {
    return undefined
  }
}

/**
 * Tells other processes, through this process's lock file, where it serves the
 * database: they connect there instead of being refused. Written once the socket
 * listens, by renaming a complete file over the lock, so a reader never sees half of it.
 */
export function advertiseSocket(dir: string, socket: string): void {
  const file = path.join(dir, LOCK_FILE)
  const owner = readOwner(file)
  if (owner?.pid !== process.pid) throw new Error(`This process does not hold the lock of ${dir}`)
  const next = `${file}.${process.pid}`
  fs.writeFileSync(next, JSON.stringify({ pid: process.pid, since: new Date().toISOString(), socket }))
  fs.renameSync(next, file)
}
