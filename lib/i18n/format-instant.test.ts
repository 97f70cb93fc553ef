// one database is enough: uses no database
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { formatInstant } from '@/lib/i18n/format-instant'

const instant = '2026-12-01T09:30:00.000Z'

test('one instant reads as each zone’s own clock', () => {
  assert.match(formatInstant(instant, 'en', 'dateTime', false, 'Asia/Shanghai'), /05:30\sPM/)
  assert.match(formatInstant(instant, 'en', 'dateTime', false, 'America/New_York'), /04:30\sAM/)
  assert.match(formatInstant(instant, 'zh', 'dateTime', false, 'Asia/Tokyo'), /18:30/)
})

test('the zone is named only when asked, and the server’s fallback says UTC', () => {
  assert.match(formatInstant(instant, 'en', 'dateTime', true, 'Asia/Shanghai'), /GMT\+8/)
  assert.doesNotMatch(formatInstant(instant, 'en', 'dateTime', false, 'Asia/Shanghai'), /GMT/)
  assert.match(formatInstant(instant, 'zh', 'dateTime', true, 'UTC'), /UTC/)
})

test('a date alone follows the zone across midnight', () => {
  const late = '2026-12-01T20:00:00.000Z'
  assert.match(formatInstant(late, 'en', 'date', false, 'America/Los_Angeles'), /December 1, 2026/)
  assert.match(formatInstant(late, 'en', 'date', false, 'Asia/Tokyo'), /December 2, 2026/)
  assert.equal(formatInstant(late, 'zh', 'date', false, 'Asia/Tokyo'), '2026年12月2日')
})
