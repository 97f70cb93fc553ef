import '@/lib/testing/fresh-database'
// one database is enough: it runs on an embedded database of its own whatever the suite's database
// SIGTERM while the embedded database is under write load: the server finishes
// what it accepted, closes PGlite cleanly, and after a restart every acknowledged
// open and close is there.
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { test } from 'node:test'
import { call, startServer, waitUntil } from './support/server-process'
import { prepareDatabase } from './support/prepare-database'
import { LOGIN, CREATE, CLOSE, LIST } from './support/rpc'


test('SIGTERM under load on PGlite: restart, data intact, no acknowledged write lost', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fc-shutdown-'))
  const dbEnv = { PGLITE_DIR: dir, DATABASE_URL: undefined }
  const users = prepareDatabase(dbEnv, { users: 4 })
  let server = await startServer(dbEnv)
  const tokens = await Promise.all(
    users.map(async (u) => (await call(server.base, LOGIN, { loginKey: u.email, loginValue: u.password })).json.token as string),
  )

  // each user toggles one service open and closed, one request at a time
  type Tally = { acked: number; unknown: number; open: boolean }
  const tallies: Tally[] = users.map(() => ({ acked: 0, unknown: 0, open: false }))
  let stopping = false
  const loops = users.map(async (u, i) => {
    const tally = tallies[i]
    while (!stopping) {
      const body = { token: tokens[i], arrangementType: 'Deduction', productCode: '00000001', userId: u.userId }
      try {
        const answer = await call(server.base, tally.open ? CLOSE : CREATE, body)
        if (answer.json.code !== '00') throw new Error(`unexpected answer ${JSON.stringify(answer.json)}`)
        tally.acked++
        tally.open = !tally.open
      } catch (error) {
        // refused or reset while shutting down: the outcome of this one request is unknown
        if (!server.exited() && !stopping) throw error
        tally.unknown++
        return
      }
    }
  })
  await waitUntil(() => tallies.every((t) => t.acked >= 10), 30_000, () => `no progress: ${JSON.stringify(tallies)}`)
  stopping = true
  const exitCode = await server.stop('SIGTERM')
  await Promise.all(loops)
  assert.equal(exitCode, 0, server.output().slice(-2000))
  assert.ok(!fs.existsSync(path.join(dir, 'fcdeduction.lock')), 'the lock is released on a clean stop')

  server = await startServer(dbEnv)
  try {
    for (const [i, u] of users.entries()) {
      const { token } = (await call(server.base, LOGIN, { loginKey: u.email, loginValue: u.password })).json as { token: string }
      const list = await call(server.base, LIST, { token, arrangementType: 'Deduction', userId: u.userId })
      const openNow = (list.json.simpliedProductInfo as unknown[]).length === 1
      const tally = tallies[i]
      assert.ok(tally.acked >= 5, `user ${i} made progress`)
      // an acknowledged write is never lost; an unacknowledged one may or may not have happened
      if (tally.unknown === 0) assert.equal(openNow, tally.open, `user ${i}: state matches the last acknowledged write`)
    }
  } finally {
    await server.stop('SIGTERM')
  }
  // and the files are a healthy database: the events agree with the relations
  const { openPGlite } = await import('@/lib/db/private-pglite')
  const db = openPGlite(dir)
  const { rows } = await db.query<{ user_id: string; opens: number; closes: number; rels: number }>(`
    SELECT e.user_id, count(*) FILTER (WHERE action = 'OPEN')::int AS opens, count(*) FILTER (WHERE action = 'CLOSE')::int AS closes,
           (SELECT count(*)::int FROM de_user_ar_rel r WHERE r.user_id = e.user_id) AS rels
    FROM de_user_ar_event e GROUP BY e.user_id`)
  await db.close()
  for (const row of rows) {
    const i = users.findIndex((u) => u.userId === row.user_id)
    const tally = tallies[i]
    assert.equal(row.opens - row.closes, row.rels, `user ${row.user_id}: events and relations agree`)
    assert.ok(row.opens + row.closes >= tally.acked && row.opens + row.closes <= tally.acked + tally.unknown, `user ${row.user_id}: every acknowledged write is recorded`)
  }
})
