import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import pkg from '@/package.json' with { type: 'json' }

// Which release a process is: the version from package.json (tagged v<version> when
// released), and the commit it was built from. `npm run build` writes the commit into
// dist/build-info.json (scripts/build-info.mjs), so a built copy knows it without git;
// a development server started from a checkout asks git; anything else says "unknown".

export const VERSION: string = pkg.version

export type BuildInfo = { version: string; commit: string }

const COMMIT = /^[0-9a-f]{7,64}$/

/** The commit dist/build-info.json records, else the checkout's HEAD, else "unknown". */
export function readBuildInfo(projectRoot: string, options: { fromGit?: boolean } = {}): BuildInfo {
  try {
    const recorded = JSON.parse(fs.readFileSync(path.join(projectRoot, 'dist/build-info.json'), 'utf8')) as { commit?: unknown }
    if (typeof recorded.commit === 'string' && (COMMIT.test(recorded.commit) || recorded.commit === 'unknown')) return { version: VERSION, commit: recorded.commit }
  } catch {
    // not built here: fall through
  }
  if (options.fromGit) {
    try {
      const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: projectRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()
      if (COMMIT.test(head)) return { version: VERSION, commit: head }
    } catch {
      // no git, or not a checkout
    }
  }
  return { version: VERSION, commit: 'unknown' }
}
