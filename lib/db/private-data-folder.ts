import fs from 'node:fs'
import path from 'node:path'

// The embedded database's folder holds every row (its WAL too) and, beside it in
// ./data, the demo's secrets: no other user of the machine may read any of it.
// PostgreSQL refuses to start on a data directory with group or other access.
const GROUP_AND_OTHERS = 0o077

/** The folder that is made private: the project's own ./data when the database is in it, else the database's folder alone. */
export function privateFolderOf(dir: string): string {
  const folder = path.resolve(dir)
  const parent = path.dirname(folder)
  return parent === path.resolve('data') ? parent : folder
}

/**
 * Called before the embedded database is opened: from now on the process creates
 * files 0600 and folders 0700 (umask 077), the folder exists, and what an earlier
 * release left open to group or others in it is made owner-only. Returns the folder
 * and how many entries were tightened, for the caller's one log line.
 */
export function makeDataFolderPrivate(dir: string): { folder: string; tightened: number } {
  process.umask(GROUP_AND_OTHERS)
  const folder = privateFolderOf(dir)
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 })
  return { folder, tightened: tighten(folder) }
}

function tighten(entry: string): number {
  let stat: fs.Stats
  try {
    stat = fs.lstatSync(entry)
  } catch (error) {
    // removed meanwhile by the database's owner (a WAL segment recycled): nothing to tighten
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0
    throw error
  }
  // a link's own mode means nothing; what it points to is not ours to change
  if (stat.isSymbolicLink()) return 0
  let count = 0
  if (stat.mode & GROUP_AND_OTHERS) {
    fs.chmodSync(entry, stat.mode & 0o7700)
    count++
  }
  if (stat.isDirectory()) for (const name of fs.readdirSync(entry)) count += tighten(path.join(entry, name))
  return count
}

/** The log line's words for what makeDataFolderPrivate did, or undefined when nothing was open. */
export const tightenedMessage = ({ folder, tightened }: { folder: string; tightened: number }) =>
  tightened === 0 ? undefined : `the data folder ${folder} was open to other users: made ${tightened} entries owner-only (folders 0700, files 0600)`
