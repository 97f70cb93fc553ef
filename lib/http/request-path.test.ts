// one database is enough: uses no database
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { requestPath } from '@/lib/http/request-path'

test('canonical paths pass unchanged, the query string aside', () => {
  for (const path of ['/', '/login', '/services/00000001/close', '/api/user.User/Login', '/login/', '/_next/static/chunks/a.js', '/a.b/c..d/...']) {
    assert.deepEqual(requestPath(path), { path })
  }
  assert.deepEqual(requestPath('/login?next=/services/../devices'), { path: '/login' })
  assert.deepEqual(requestPath('http://evil.example/api/user.User/Login'), { path: '/api/user.User/Login' })
  assert.deepEqual(requestPath('http://evil.example'), { path: '/' })
})

test('every spelling of a dot segment, slash or backslash that would move the path is refused', () => {
  const refused = [
    '/api/../login',
    '/api/./login',
    '/api/%2e%2e/login',
    '/api/%2E%2E/login',
    '/api/%2e%2E/login',
    '/api/.%2e/login',
    '/api/%2E./login',
    '/api/%2e/login',
    '/api/..',
    '/api/.',
    '/api/..%2flogin',
    '/api/..%2Flogin',
    '/api%2F..%2Flogin',
    '/api/..\\login',
    '/api\\login',
    '/api/..%5clogin',
    '/api/..%5Clogin',
    '/api//login',
    '//api/login',
    'http://x/api/../login',
    '*',
    'login',
  ]
  for (const path of refused) assert.ok('refused' in requestPath(path), `${path} is refused`)
})

test('a path whose percent-encoding is malformed is refused, a well-formed one passes', () => {
  for (const path of ['/services/%zz', '/services/%', '/services/%e4%b8', '/sign/%ff/confirm', '/api/user.User/Login%G1']) {
    assert.deepEqual(requestPath(path), { refused: 'a malformed percent-encoding in the path' }, path)
  }
  for (const path of ['/services/%E4%B8%AD', '/sign/abc%20def']) assert.deepEqual(requestPath(path), { path })
})
