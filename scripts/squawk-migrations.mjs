#!/usr/bin/env node
// squawk over every migration (docs/operations.md#migrations-two-releases-wide): a
// migration must leave the release before it working on the same database. A rule a
// migration breaks knowingly is named, with the reason, in squawk-exceptions.txt in its
// folder ("<rule> <why>" a line, # comments); an exception that excuses nothing any more
// fails too, so the list says what is true. Project-wide exclusions: .squawk.toml.
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'

const root = path.resolve(import.meta.dirname, '..')
// another folder of migrations may be named (the script's own test does)
const migrations = path.resolve(root, process.argv[2] ?? 'prisma/migrations')
const squawk = path.join(root, 'node_modules/.bin/squawk')

const folders = fs.readdirSync(migrations, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort()
const problems = []
let checked = 0
for (const folder of folders) {
  const file = path.relative(root, path.join(migrations, folder, 'migration.sql'))
  const run = spawnSync(squawk, ['--config', path.join(root, '.squawk.toml'), '--reporter', 'json', file], { cwd: root, encoding: 'utf8' })
  if (run.error || (run.status !== 0 && run.status !== 1)) {
    console.error(`squawk could not check ${file}: ${run.error?.message ?? run.stderr}`)
    process.exit(2)
  }
  const findings = JSON.parse(run.stdout || '[]')
  const exceptionsFile = path.join(migrations, folder, 'squawk-exceptions.txt')
  const excused = new Map()
  if (fs.existsSync(exceptionsFile)) {
    for (const line of fs.readFileSync(exceptionsFile, 'utf8').split('\n')) {
      const text = line.trim()
      if (!text || text.startsWith('#')) continue
      const [rule, ...why] = text.split(/\s+/)
      if (!why.length) problems.push(`${exceptionsFile}: the exception for ${rule} gives no reason`)
      excused.set(rule, why.join(' '))
    }
  }
  const found = new Set(findings.map((f) => f.rule_name))
  for (const f of findings) if (!excused.has(f.rule_name)) problems.push(`${f.file}:${f.line + 1}: ${f.rule_name}: ${f.message}`)
  for (const rule of excused.keys()) if (!found.has(rule)) problems.push(`${exceptionsFile}: ${rule} is excused but squawk no longer finds it`)
  checked++
}
if (problems.length) {
  console.error(`squawk: ${problems.length} problem(s) in the migrations:\n${problems.join('\n')}`)
  process.exit(1)
}
console.log(`squawk: ${checked} migrations checked, none breaks a rule it does not name in its squawk-exceptions.txt`)
