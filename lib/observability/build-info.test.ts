// one database is enough: uses no database
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { test } from 'node:test'
import pkg from '@/package.json' with { type: 'json' }
import { readBuildInfo, VERSION } from '@/lib/observability/build-info'

const folder = () => fs.mkdtempSync(path.join(os.tmpdir(), 'fc-build-info-'))

test('the version is package.json\'s', () => {
  assert.equal(VERSION, pkg.version)
})

test('a built copy reports the commit its build recorded', () => {
  const dir = folder()
  fs.mkdirSync(path.join(dir, 'dist'))
  fs.writeFileSync(path.join(dir, 'dist/build-info.json'), JSON.stringify({ commit: 'e1a7dada71329f8aae810350833d481873eee396' }))
  assert.deepEqual(readBuildInfo(dir), { version: VERSION, commit: 'e1a7dada71329f8aae810350833d481873eee396' })
  fs.rmSync(dir, { recursive: true })
})

test('outside git and unbuilt, or with a record that is not a commit, the commit is "unknown"', () => {
  const dir = folder()
  assert.deepEqual(readBuildInfo(dir, { fromGit: true }), { version: VERSION, commit: 'unknown' })
  fs.mkdirSync(path.join(dir, 'dist'))
  fs.writeFileSync(path.join(dir, 'dist/build-info.json'), JSON.stringify({ commit: 'x"} 1\nfc_evil 1' }))
  assert.equal(readBuildInfo(dir).commit, 'unknown')
  fs.rmSync(dir, { recursive: true })
})
