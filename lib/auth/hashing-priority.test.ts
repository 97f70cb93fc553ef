// one database is enough: uses no database
import fs from 'node:fs'
import os from 'node:os'
import { test } from 'node:test'
import assert from 'node:assert/strict'
import argon2 from 'argon2'
import { HASHING_NICENESS, lowerHashingPriority } from '@/lib/auth/hashing-priority'

const poolThreads = () =>
  fs.readdirSync('/proc/self/task').filter((tid) => fs.readFileSync(`/proc/self/task/${tid}/comm`, 'utf8').trim() === 'libuv-worker').map(Number)

// the project runs on Linux (per-thread priority is Linux's); elsewhere nothing is changed
test('the thread pool that hashes passwords runs below the event loop, and still hashes', async () => {
  const changed = await lowerHashingPriority()
  if (process.platform !== 'linux') return assert.equal(changed, 0)
  const threads = poolThreads()
  assert.ok(threads.length > 0, 'the pool has started')
  assert.equal(changed, threads.length)
  assert.deepEqual(threads.map((tid) => os.getPriority(tid)), threads.map(() => HASHING_NICENESS))
  assert.equal(os.getPriority(), 0, 'the event loop keeps its priority')
  const hash = await argon2.hash('a password', { type: argon2.argon2id, memoryCost: 1024, timeCost: 1 })
  assert.equal(await argon2.verify(hash, 'a password'), true)
})
