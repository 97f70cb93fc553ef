// one database is enough: uses no database
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { safeReturnPath } from '@/lib/auth/return-path'

test('a path of this site is kept, in the form the browser would read it', () => {
  assert.equal(safeReturnPath('/devices'), '/devices')
  assert.equal(safeReturnPath('/services/open?tab=2#top'), '/services/open?tab=2#top')
  assert.equal(safeReturnPath('/services/../devices'), '/devices')
  assert.equal(safeReturnPath('/a b'), '/a%20b')
  assert.equal(safeReturnPath('  /devices'), '/devices')
  assert.equal(safeReturnPath('devices'), '/devices')
})

test('anything that is not a path of this site falls back to the services page', () => {
  const crafted = [
    undefined, null, 42, '', ' ', '\t\n',
    '//evil.example/x', '/\t/evil.example/x', '/\n/evil.example/x', '/\r/evil.example/x',
    '\t//evil.example/x', ' //evil.example/x', '/\\evil.example/x', '\\\\evil.example/x', '\\/evil.example/x',
    '/\\\t/evil.example', 'http://evil.example/x', 'https://evil.example', 'http:evil.example', 'http:/evil.example', ' \thttp:evil.example', 'ht\ttp:evil.example',
    'javascript:alert(1)', 'data:text/html,x', '///evil.example/x', '/.//evil.example/x', '/./\\evil.example',
    '//evil.example@127.0.0.1/x', 'http://127.0.0.1/devices',
    '/login', '/login?next=/devices', '/login/',
  ]
  for (const value of crafted) assert.equal(safeReturnPath(value), '/services', JSON.stringify(value))
})

test('encoded slashes stay encoded inside the path, never become a host', () => {
  assert.equal(safeReturnPath('/%2F%2Fevil.example/x'), '/%2F%2Fevil.example/x')
  assert.equal(safeReturnPath('/%09/evil.example/x'), '/%09/evil.example/x')
  assert.equal(safeReturnPath('/%5Cevil.example'), '/%5Cevil.example')
})
