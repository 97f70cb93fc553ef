import '@/lib/testing/fresh-database'
// one database is enough: it runs on an embedded database of its own whatever the suite's database
// The server never answers on half a schema: on a database that lacks migrations it
// refuses to start and names the command that fixes it. It builds nothing: `npm run build` first.
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { test } from 'node:test'
import { startServer } from './support/server-process'

test('an embedded database without tables: the server refuses to start and says to run db:migrate', async () => {
  const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'fc-unmigrated-'))
  try {
    await assert.rejects(startServer({ PGLITE_DIR: empty, DATABASE_URL: undefined }), (error: Error) => {
      assert.match(error.message, /the server exited \(1\) before it was healthy/)
      assert.match(error.message, /pending migration\(s\) \(\d{14}_init, .*\): run `npm run db:migrate` first/)
      return true
    })
  } finally {
    fs.rmSync(empty, { recursive: true, force: true })
  }
})
