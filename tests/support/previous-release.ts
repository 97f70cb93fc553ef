// The release before this one, built from git for tests that run it beside the head
// (tests/release-compatibility.test.ts). deploy/previous-release names it: its tag, used
// when the clone has it, else its commit (tags do not always come along with a clone). It
// is checked out in a git worktree, installed offline from the npm cache and built: a few
// minutes. A commit's build never changes, so it is kept, as npm keeps its packages, in
// PREVIOUS_RELEASE_CACHE (default: $XDG_CACHE_HOME or ~/.cache, then
// fcdeduction/previous-release/<commit>) and the next run on the machine starts it at once;
// PREVIOUS_RELEASE_CACHE=off builds it in a temporary folder and keeps nothing.
// PREVIOUS_RELEASE_DIR names a copy already built, to use as it is.
import { execFile, execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { root } from './server-process'

export type PreviousRelease = { tag: string; commit: string; dir: string; remove: () => void }

/** The tag and commit deploy/previous-release names; the commit is the tag's when the clone has the tag. */
export function previousReleaseRef(): { tag: string; commit: string } {
  const line = fs
    .readFileSync(path.join(root, 'deploy/previous-release'), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l && !l.startsWith('#'))
  const [tag, commit] = line?.split(/\s+/) ?? []
  if (!tag || !/^v\d+\.\d+\.\d+$/.test(tag) || !/^[0-9a-f]{40}$/.test(commit ?? '')) throw new Error(`deploy/previous-release: expected "v<x.y.z> <commit>", got ${JSON.stringify(line)}`)
  try {
    const tagged = execFileSync('git', ['rev-parse', '-q', '--verify', `refs/tags/${tag}^{commit}`], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()
    return { tag, commit: tagged }
  } catch {
    return { tag, commit }
  }
}

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { cwd, env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${command} ${args.join(' ')} in ${cwd} failed: ${error.message}\n${stdout}\n${stderr}`))
      else resolve()
    })
  })
}

/** Where built releases are kept between runs, or undefined when PREVIOUS_RELEASE_CACHE=off. */
function cacheRoot(): string | undefined {
  const setting = process.env.PREVIOUS_RELEASE_CACHE
  if (setting === 'off') return undefined
  if (setting) return setting
  return path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'fcdeduction', 'previous-release')
}

// written into a cached build once it is complete: a folder without it is an interrupted build
const BUILT = '.fcdeduction-built'

/** Checks the previous release out, installs it offline and builds it, or finds it built in the cache. `remove()` takes away what is not kept. */
export async function buildPreviousRelease(log: (line: string) => void): Promise<PreviousRelease> {
  const { tag, commit } = previousReleaseRef()
  if (process.env.PREVIOUS_RELEASE_DIR) return { tag, commit, dir: process.env.PREVIOUS_RELEASE_DIR, remove: () => undefined }
  const cache = cacheRoot()
  const dir = cache ? path.join(cache, commit) : fs.mkdtempSync(path.join(os.tmpdir(), 'fc-previous-release-'))
  if (cache && fs.existsSync(path.join(dir, BUILT))) {
    log(`previous release ${tag} (${commit.slice(0, 12)}) built earlier, from ${dir}`)
    return { tag, commit, dir, remove: () => undefined }
  }
  const forget = () => {
    try {
      execFileSync('git', ['worktree', 'remove', '--force', dir], { cwd: root, stdio: 'ignore' })
    } catch {
      // not added, or already gone: the folder goes below and prune forgets it
    }
    fs.rmSync(dir, { recursive: true, force: true })
    execFileSync('git', ['worktree', 'prune'], { cwd: root, stdio: 'ignore' })
  }
  // should the test's process end without removing it, it goes anyway (a kept build stays)
  let kept = false
  const remove = () => {
    if (!kept) forget()
  }
  process.once('exit', remove)
  const started = Date.now()
  try {
    // what an interrupted build left behind
    forget()
    fs.mkdirSync(path.dirname(dir), { recursive: true })
    await run('git', ['worktree', 'add', '--detach', dir, commit], root, process.env)
    // the previous release's own scripts run on the project's Node.js (first on the PATH),
    // without this suite's settings (its Node guard, the test database, NODE_ENV=test)
    const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${path.dirname(process.execPath)}:${process.env.PATH}`, NEXT_TELEMETRY_DISABLED: '1', CI: 'true' }
    for (const name of ['NODE_OPTIONS', 'NODE_ENV', 'DATABASE_URL', 'PGLITE_DIR', 'NEXT_DIST_DIR']) delete env[name]
    await run('npm', ['ci', '--offline', '--no-audit', '--no-fund'], dir, env)
    await run('npm', ['run', 'build'], dir, env)
    if (cache) {
      // kept apart from this clone: it leaves the clone's worktrees and outlives it
      fs.rmSync(path.join(dir, '.git'), { force: true })
      execFileSync('git', ['worktree', 'prune'], { cwd: root, stdio: 'ignore' })
      fs.writeFileSync(path.join(dir, BUILT), `${tag} ${commit}\n`)
      kept = true
    }
  } catch (error) {
    remove()
    process.off('exit', remove)
    throw error
  }
  log(`previous release ${tag} (${commit.slice(0, 12)}) checked out, installed offline and built in ${Math.round((Date.now() - started) / 1000)} s${kept ? `, kept in ${dir}` : ''}`)
  return {
    tag,
    commit,
    dir,
    remove: () => {
      remove()
      process.off('exit', remove)
    },
  }
}
