import { testDatabaseEnv } from './support/test-database-env'
// one database is enough: it asks each process which Node.js it runs on; the database under the server is incidental
// The project runs on the Node.js it brings (package.json's exact "node" dependency,
// in node_modules/.bin): the test process, a script started through npx, and the
// built server, each asked for its own version. scripts/node-guard.mjs, loaded into
// every process of the suite, stops any that starts on another major version.
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { test } from 'node:test'
import { projectNode, sameMajor } from '../scripts/node-guard.mjs'
import { startServer } from './support/server-process'
import { prepareDatabase } from './support/prepare-database'

const dbEnv = testDatabaseEnv()

test("the pinned Node.js is 24 LTS, and npm's PATH finds it first", () => {
  assert.match(projectNode, /^24\.\d+\.\d+$/, 'package.json pins an exact Node.js 24 release')
  assert.equal(execFileSync('node', ['--version'], { encoding: 'utf8' }).trim(), `v${projectNode}`)
})

test('the test process and its children carry the guard', () => {
  assert.equal(process.version, `v${projectNode}`)
  assert.match(process.env.NODE_OPTIONS ?? '', /--import=\S*scripts\/node-guard\.mjs/)
})

test('a script through npx tsx runs on it', () => {
  const version = execFileSync('npx', ['tsx', '-e', 'console.log(process.version)'], { encoding: 'utf8' }).trim()
  assert.equal(version, `v${projectNode}`)
})

test('the built server runs on it and says so when it starts', async () => {
  prepareDatabase(dbEnv)
  const server = await startServer(dbEnv)
  try {
    assert.equal(server.listening()?.node, `v${projectNode}`)
  } finally {
    await server.stop('SIGTERM')
  }
})

test("the guard's rule: another major version is refused, any release of the same one is not", () => {
  assert.equal(sameMajor('v20.20.2', '24.21.0'), false)
  assert.equal(sameMajor('v22.18.0', '24.21.0'), false)
  assert.equal(sameMajor('v25.0.0', '24.21.0'), false)
  assert.equal(sameMajor('v24.0.0', '24.21.0'), true)
  assert.equal(sameMajor('24.21.0', '24.21.0'), true)
})
