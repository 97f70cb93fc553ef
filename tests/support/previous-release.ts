// The release before this one, built from git for tests that run it beside the head
// (tests/release-compatibility.test.ts). deploy/previous-release names it: its tag, used
// when the clone has it, else its commit (tags do not always come along with a clone). It
// is checked out in a temporary git worktree, installed offline from the npm cache and
// built: a few minutes, and nothing is kept. PREVIOUS_RELEASE_DIR names a copy already
// built that way, to skip the build while working on a test.
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

/** Checks the previous release out, installs it offline and builds it. `remove()` takes it all away. */
export async function buildPreviousRelease(log: (line: string) => void): Promise<PreviousRelease> {
  const { tag, commit } = previousReleaseRef()
  if (process.env.PREVIOUS_RELEASE_DIR) return { tag, commit, dir: process.env.PREVIOUS_RELEASE_DIR, remove: () => undefined }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fc-previous-release-'))
  const remove = () => {
    try {
      execFileSync('git', ['worktree', 'remove', '--force', dir], { cwd: root, stdio: 'ignore' })
    } catch {
      // not added, or already gone: the folder goes below and prune forgets it
    }
    fs.rmSync(dir, { recursive: true, force: true })
    execFileSync('git', ['worktree', 'prune'], { cwd: root, stdio: 'ignore' })
  }
  // should the test's process end without removing it, it goes anyway
  process.once('exit', remove)
  const started = Date.now()
  try {
    await run('git', ['worktree', 'add', '--detach', dir, commit], root, process.env)
    // the previous release's own scripts run on the project's Node.js (first on the PATH),
    // without this suite's settings (its Node guard, the test database, NODE_ENV=test)
    const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${path.dirname(process.execPath)}:${process.env.PATH}`, NEXT_TELEMETRY_DISABLED: '1', CI: 'true' }
    for (const name of ['NODE_OPTIONS', 'NODE_ENV', 'DATABASE_URL', 'PGLITE_DIR', 'NEXT_DIST_DIR']) delete env[name]
    await run('npm', ['ci', '--offline', '--no-audit', '--no-fund'], dir, env)
    await run('npm', ['run', 'build'], dir, env)
  } catch (error) {
    remove()
    process.off('exit', remove)
    throw error
  }
  log(`previous release ${tag} (${commit.slice(0, 12)}) checked out, installed offline and built in ${Math.round((Date.now() - started) / 1000)} s`)
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
