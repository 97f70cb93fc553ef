#!/usr/bin/env node
// Writes dist/build-info.json: the commit this build is made from (lib/observability/build-info.ts
// reports it in /metrics and /readyz), or "unknown" outside a git checkout.
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'

const root = path.resolve(import.meta.dirname, '..')
let commit = 'unknown'
try {
  commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()
} catch {
  // a copy without git (an unpacked archive): the build does not know its commit
}
fs.mkdirSync(path.join(root, 'dist'), { recursive: true })
fs.writeFileSync(path.join(root, 'dist/build-info.json'), `${JSON.stringify({ commit })}\n`)
console.log(`build info: commit ${commit}`)
