import fs from 'node:fs'
import os from 'node:os'

// argon2 runs on libuv's thread pool (UV_THREADPOOL_SIZE threads, 4 by default),
// each verification tens of milliseconds of pure CPU. Under a burst of logins
// those threads, at the event loop's priority, take every core, and calls that
// need only a fraction of a millisecond of the event loop (a list, a probe) wait
// behind them. Running the pool's threads at a lower priority lets the kernel
// give the event loop (and PostgreSQL, on the same machine) the CPU first; argon2
// still gets every cycle left over, so logins keep their rate
// (docs/architecture.md#logins-beside-other-calls).

/** The pool threads' niceness: below normal, not starved (19 would be idle-only). */
export const HASHING_NICENESS = 10

const POOL_THREAD_NAME = 'libuv-worker'

/**
 * Lowers the CPU priority of libuv's pool threads (Linux: niceness is per thread).
 * The pool starts all its threads on its first job, so one is given first.
 * Resolves with how many threads it changed; 0 where threads cannot be told apart.
 */
export async function lowerHashingPriority(): Promise<number> {
  const tasks = '/proc/self/task'
  if (!fs.existsSync(tasks)) return 0
  await fs.promises.stat(tasks)
  let changed = 0
  for (const tid of fs.readdirSync(tasks)) {
    try {
      if (fs.readFileSync(`${tasks}/${tid}/comm`, 'utf8').trim() !== POOL_THREAD_NAME) continue
      os.setPriority(Number(tid), HASHING_NICENESS)
      changed++
    } catch {
      // the thread ended meanwhile, or the system refused: it keeps its priority
    }
  }
  return changed
}
