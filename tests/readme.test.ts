import { testDatabaseEnv } from './support/test-database-env'
// The command blocks of the README and docs/*.md, as a newcomer would run them: every
// `npm run` names a script that exists and no runnable line holds a placeholder; the
// administration commands (docs/product.md), the API example (docs/product.md), the
// merchant's set-up and calls (docs/merchants.md) and the verification example
// (docs/operations.md) run as written (against this file's database, with the server's
// address for localhost:3000). It builds nothing: `npm run build` first.
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { after, test } from 'node:test'
import { root, startServer, type ServerProcess } from './support/server-process'
import { prepareDatabase } from './support/prepare-database'

const dbEnv = testDatabaseEnv()
const pages = ['README.md', ...fs.readdirSync(path.join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)]
const scripts = Object.keys((JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts)

/** The sh blocks of a page under a `## heading`, or under every heading. */
function shBlocks(page: string, heading?: string): string[] {
  const text = fs.readFileSync(path.join(root, page), 'utf8')
  const section = heading ? (text.split(/^## /m).find((s) => s.startsWith(`${heading}\n`)) ?? '') : text
  const blocks = [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1])
  if (heading) assert.ok(blocks.length > 0, `${page} has no sh block under "## ${heading}"`)
  return blocks
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

test('every npm run in the README and docs/*.md names a script, and no runnable line holds a placeholder', () => {
  const all = pages.flatMap((page) => shBlocks(page).flatMap(commands).map((line) => ({ page, line })))
  assert.ok(all.length > 30, 'the pages have command blocks')
  assert.ok(shBlocks('README.md').flatMap(commands).length >= 3, 'the README has its commands')
  for (const { page, line } of all) {
    for (const [, script] of line.matchAll(/npm (?:-s )?run ([\w:-]+)/g)) assert.ok(scripts.includes(script), `${page}: "${line}": no script ${script}`)
    // a trailing comment may say what a value looks like; the command itself may not hold one
    assert.doesNotMatch(line.replace(/\s+#\s.*$/, ''), /…|<[a-z][^>]*>/, `${page}: "${line}" holds a placeholder`)
  }
})

test('the administration commands run as written', () => {
  prepareDatabase({ ...dbEnv, DEMO_MODE: 'true' })
  const lines = shBlocks('docs/product.md', 'Administration').flatMap(commands)
  assert.ok(lines.length >= 5)
  for (const line of lines) {
    const { status, out } = run(line)
    assert.equal(status, 0, `${line}\n${out}`)
    // each command that opened the database said which
    if (!/ -- help\b/.test(line)) assert.match(out, /^database: (PostgreSQL|the embedded database)/m, `${line}\n${out}`)
  }
})

test('the API, merchant and verification examples run as written against the app', async () => {
  server = await startServer(dbEnv)
  const local = (line: string) => line.replaceAll('http://localhost:3000', server!.base).replaceAll('localhost:3000', server!.base)
  const [api] = shBlocks('docs/product.md', 'The JSON API')
  const answer = run(commands(api).map(local).join('\n'))
  assert.equal(answer.status, 0, answer.out)
  assert.match(answer.out, /"code":"00"/, `the Create call answered: ${answer.out}`)

  // the merchant's set-up while the app runs, its calls with the key it printed, then a sign request, in one shell
  const [setUp, calls] = shBlocks('docs/merchants.md', 'A merchant with curl')
  const [signing] = shBlocks('docs/merchants.md', 'Merchant-initiated signing')
  const merchant = run([setUp, calls, signing].map((block) => block.split('\n').map(local).join('\n')).join('\n'))
  assert.equal(merchant.status, 0, merchant.out)
  assert.match(merchant.out, /whsec_/, `webhook:set printed the signing secret: ${merchant.out}`)
  // query, changes, close (alice never opened 00000002: 17), create, query, cancel
  assert.equal([...merchant.out.matchAll(/"code":"(\d\d)"/g)].map((m) => m[1]).join(' '), '00 00 17 00 00 00', merchant.out)
  assert.match(merchant.out, /"signStatus":"CANCELLED"/, merchant.out)

  const [verify] = shBlocks('docs/operations.md', 'Production verification')
  for (const line of commands(verify).map(local)) {
    const { status, out } = run(line)
    assert.equal(status, 0, `${line}\n${out}`)
    assert.match(out, /verify: every case passed/)
  }
})
