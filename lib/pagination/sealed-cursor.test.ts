// one database is enough: uses no database
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createHmac } from 'node:crypto'
import { openCursor, sealCursor, type CursorScope } from '@/lib/pagination/sealed-cursor'

const secret = 'a-test-secret-of-at-least-32-characters'
const scope: CursorScope = { call: 'deduction-list', owner: ['FC000001', 'U1', 'Deduction'] }

test('a sealed cursor opens to its position for its own scope and secret only', () => {
  const cursor = sealCursor(scope, 'position-1', secret)
  assert.match(cursor, /^c2\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/)
  assert.equal(openCursor(scope, cursor, secret), 'position-1')
  assert.equal(openCursor(scope, cursor, `${secret}-rotated`), undefined, 'another AUTH_SECRET')
  assert.equal(openCursor({ ...scope, call: 'agreement-changes' }, cursor, secret), undefined, 'another call')
  assert.equal(openCursor({ ...scope, owner: ['FC000002', 'U1', 'Deduction'] }, cursor, secret), undefined, 'another tenant')
  // the owner's parts are kept apart: moving a character from one to the next is another owner
  assert.equal(openCursor({ ...scope, owner: ['FC000001', 'U1D', 'eduction'] }, cursor, secret), undefined, 'shifted parts')
})

test('the key is derived from the secret, not the secret itself: a MAC under the raw secret does not open', () => {
  const cursor = sealCursor(scope, 'position-1', secret)
  const [version, position] = cursor.split('.')
  const underRawSecret = createHmac('sha256', secret)
    .update(`${JSON.stringify(['c2', scope.call, ...scope.owner])}\n`)
    .update(Buffer.from(position, 'base64url'))
    .digest('base64url')
  assert.equal(openCursor(scope, `${version}.${position}.${underRawSecret}`, secret), undefined)
})

test('another spelling of the same bytes is not ours', () => {
  const cursor = sealCursor(scope, 'x', secret) // one byte: two base64url characters, four bits unused
  const [version, position, mac] = cursor.split('.')
  const respelled = position[0] + String.fromCharCode(position.charCodeAt(1) + 1)
  assert.deepEqual(Buffer.from(respelled, 'base64url'), Buffer.from(position, 'base64url'))
  assert.equal(openCursor(scope, `${version}.${respelled}.${mac}`, secret), undefined)
})
