// The test runner preloads this (node --import) into every test file's process:
// it points the process at a database of its own, already migrated, before any
// module of the file is evaluated. (A plain first import is not enough: with
// top-level await, sibling imports start evaluating while this one still waits,
// and could read the configuration too early.) node --test runs each file in
// its own process, so every file starts clean. With DATABASE_URL (PostgreSQL) it clones the template
// database that the test runner migrated; without it, it copies the migrated
// PGlite template directory.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'

export type TestDatabase = { kind: 'postgres'; url: string; name: string } | { kind: 'pglite'; dir: string }

async function freshDatabase(): Promise<TestDatabase> {
  const template = process.env.FC_TEST_TEMPLATE
  if (!template) throw new Error('FC_TEST_TEMPLATE is not set: run unit tests through `npm run test:unit`')
  const id = `${process.pid}_${Math.random().toString(36).slice(2, 8)}`
  if (process.env.DATABASE_URL) {
    const url = new URL(process.env.DATABASE_URL)
    const name = `fc_test_${id}`
    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL })
    await admin.connect()
    await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`)
    await admin.end()
    url.pathname = `/${name}`
    process.env.DATABASE_URL = url.toString()
    return { kind: 'postgres', url: url.toString(), name }
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fc-test-'))
  // the copy is as private as the template: its folders made 0700, not by the default umask
  process.umask(0o077)
  fs.cpSync(template, dir, { recursive: true })
  fs.rmSync(path.join(dir, 'fcdeduction.lock'), { force: true })
  process.env.PGLITE_DIR = dir
  // the copy is the file's alone and tens of megabytes: it goes with the file's process
  process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }))
  return { kind: 'pglite', dir }
}

// the runner's own process runs no test and needs no database
const inTestFile = process.env.NODE_TEST_CONTEXT !== undefined
export const testDatabase = inTestFile ? await freshDatabase() : (undefined as unknown as TestDatabase)
