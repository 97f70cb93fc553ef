import fs from 'node:fs'
import path from 'node:path'

// PGlite keeps no lock of its own: two processes writing one data directory
// silently lose data. A lock file holding the owner's pid makes the second
// opener fail at once instead.
const LOCK_FILE = 'fcdeduction.lock'

export class EmbeddedDatabaseInUseError extends Error {
  constructor(dir: string, pid: number) {
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
      if (owner !== undefined && owner !== process.pid && isAlive(owner)) {
        throw new EmbeddedDatabaseInUseError(dir, owner)
      }
      // left behind by a process that died without cleaning up (or unreadable): take it over
      fs.rmSync(file, { force: true })
    }
  }
  throw new Error(`Could not lock the embedded database in ${dir}`)
}

function readOwner(file: string): number | undefined {
  try {
    const { pid } = JSON.parse(fs.readFileSync(file, 'utf8')) as { pid?: unknown }
    return typeof pid === 'number' ? pid : undefined
  } catch {
    return undefined
  }
}
