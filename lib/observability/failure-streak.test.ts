// one database is enough: uses no database
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { capturedLogger } from '@/lib/testing/captured-logger'
import { failureStreak } from '@/lib/observability/failure-streak'

test('a failure that repeats every second is logged once, then once a minute with the count, then once when it ends', () => {
  const { log, lines } = capturedLogger()
  let now = 0
  const streak = failureStreak(log, 'outbox relay', () => now)
  for (; now < 125_000; now += 1_000) streak.failed(new Error('connect ECONNREFUSED'), 'outbox relay failed; trying again')
  streak.succeeded()
  streak.succeeded()
  assert.deepEqual(
    lines.map((l) => [l.level, l.msg, l.failures]),
    [
      ['warn', 'outbox relay failed; trying again', 1],
      ['warn', 'outbox relay failed; trying again', 61],
      ['warn', 'outbox relay failed; trying again', 121],
      ['info', 'outbox relay works again', 125],
    ],
  )
  assert.equal((lines[0].err as { message: string }).message, 'connect ECONNREFUSED')

  // a new streak is reported from its first failure again
  streak.failed(new Error('again'), 'outbox relay failed; trying again')
  assert.equal(lines.at(-1)?.failures, 1)
})
