import { testDatabaseEnv } from './support/test-database-env'
// The README's command blocks, as a newcomer would run them: every `npm run` names a
// script that exists and no runnable line holds a placeholder; the administration
// commands, the API example and the verification example run as written (against
// this file's database, with the server's address for localhost:3000). It builds
// nothing: `npm run build` first.
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { after, test } from 'node:test'
import { root, startServer, type ServerProcess } from './support/server-process'
import { prepareDatabase } from './support/prepare-database'

const dbEnv = testDatabaseEnv()
const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8')
const scripts = Object.keys((JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts)

/** The sh blocks under a `## heading`, or under every heading. */
function shBlocks(heading?: string): string[] {
  const section = heading ? (readme.split(/^## /m).find((s) => s.startsWith(`${heading}\n`)) ?? '') : readme
  return [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1])
}

/** The block's commands: comment lines dropped, continued lines joined. */
const commands = (block: string) =>
  block
    .replace(/\\\n\s*/g, '')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))

let server: ServerProcess | undefined
after(async () => {
  if (server && !server.exited()) await server.stop('SIGKILL')
})

function run(command: string, env: Record<string, string | undefined> = {}) {
  const full = { ...process.env, ...dbEnv, ...env } as NodeJS.ProcessEnv
  for (const [name, value] of Object.entries(env)) if (value === undefined) delete full[name]
  if (!dbEnv.DATABASE_URL) delete full.DATABASE_URL
  const result = spawnSync('bash', ['-c', `set -euo pipefail; ${command}`], { cwd: root, env: full, encoding: 'utf8', timeout: 120_000 })
  return { status: result.status, out: `${result.stdout}${result.stderr}` }
}

test('every npm run in the README names a script, and no runnable line holds a placeholder', () => {
  const all = shBlocks().flatMap(commands)
  assert.ok(all.length > 10, 'the README has command blocks')
  for (const line of all) {
    for (const [, script] of line.matchAll(/npm run ([\w:-]+)/g)) assert.ok(scripts.includes(script), `"${line}": no script ${script}`)
    assert.doesNotMatch(line, /…|<[a-z][^>]*>/, `"${line}" holds a placeholder`)
  }
})

test('the administration commands run as written', () => {
  prepareDatabase({ ...dbEnv, DEMO_MODE: 'true' })
  const lines = shBlocks('Administration').flatMap(commands)
  assert.ok(lines.length >= 5)
  for (const line of lines) {
    const { status, out } = run(line)
    assert.equal(status, 0, `${line}\n${out}`)
  }
})

test('the API example and the verification example run as written against the app', async () => {
  server = await startServer(dbEnv)
  const local = (line: string) => line.replaceAll('http://localhost:3000', server!.base).replaceAll('localhost:3000', server!.base)
  const [api] = shBlocks('API')
  const answer = run(commands(api).map(local).join('\n'))
  assert.equal(answer.status, 0, answer.out)
  assert.match(answer.out, /"code":"00"/, `the Create call answered: ${answer.out}`)
  const [verify] = shBlocks('Production verification')
  for (const line of commands(verify).map(local)) {
    const { status, out } = run(line)
    assert.equal(status, 0, `${line}\n${out}`)
    assert.match(out, /verify: every case passed/)
  }
})
