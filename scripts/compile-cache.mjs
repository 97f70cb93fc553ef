// The test suite starts hundreds of Node.js processes (test files, servers, commands), most of
// them loading the same modules: Next.js, Prisma, tsx, the project's own. Node.js keeps the
// code it compiles in a cache on disk when NODE_COMPILE_CACHE names a folder, and a process
// that loads a module already there skips compiling it. Entries are keyed by the module's
// path, its content and the Node.js version, so a stale one is never used; the folder is
// kept between runs, as npm keeps its packages (docs/testing.md#the-test-command).
import os from 'node:os'
import path from 'node:path'

export const compileCacheDir = () =>
  path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'fcdeduction', 'node-compile-cache')

/** The environment with NODE_COMPILE_CACHE set to the project's cache, unless it names one already. */
export const withCompileCache = (env) => ({ ...env, NODE_COMPILE_CACHE: env.NODE_COMPILE_CACHE || compileCacheDir() })
