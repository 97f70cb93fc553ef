// one database is enough: uses no database
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { parseShare, readShare, shareFileText, ShareError } from '@/lib/release/share'

test('a share is a percentage with at most two decimals', () => {
  assert.equal(parseShare('5'), 5)
  assert.equal(parseShare('0.5'), 0.5)
  assert.equal(parseShare('100'), 100)
  assert.equal(parseShare(' 25 '), 25)
  for (const bad of [undefined, '', '-1', '101', '5%', '1e2', '0.125', 'half', '5;', '5 new; * new']) assert.throws(() => parseShare(bad), ShareError, String(bad))
})

test('the share file: 0 everyone on the release in service, 100 everyone on the new one, else the percentage', () => {
  assert.match(shareFileText(0), /\{\n {2}\* old;\n\}/)
  assert.match(shareFileText(100), /\{\n {2}\* new;\n\}/)
  assert.match(shareFileText(5), /\{\n {2}5% new;\n {2}\* old;\n\}/)
  for (const share of [0, 0.5, 5, 50, 100]) assert.equal(readShare(shareFileText(share)), share)
})
