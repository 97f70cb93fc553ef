// one database is enough: uses no database
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { compile, statement } from '@/lib/db/statement'

test('named placeholders become $n, one number per name, in order of first use', () => {
  const { text, parameters } = compile('SELECT * FROM t WHERE a = :tenantId AND b = :userId OR c = :tenantId')
  assert.equal(text, 'SELECT * FROM t WHERE a = $1 AND b = $2 OR c = $1')
  assert.deepEqual(parameters, ['tenantId', 'userId'])
})

test('casts, quoted literals, quoted identifiers and comments are left alone', () => {
  const { text, parameters } = compile(`SELECT :a::varchar, ':b', "x:c", 'it''s :d' -- the user's :e\n, :f`)
  assert.equal(text, `SELECT $1::varchar, ':b', "x:c", 'it''s :d' -- the user's :e\n, $2`)
  assert.deepEqual(parameters, ['a', 'f'])
})

test('values come out in placeholder order; a missing one throws before anything is sent', async () => {
  const s = statement<{ a: string; b: number | null }, { x: number }>('example', 'SELECT :b AS x WHERE :a IS NOT NULL')
  assert.deepEqual(s.values({ a: 'A', b: null }), [null, 'A'])
  const sent: unknown[][] = []
  const db = <T>(sql: string, params: readonly unknown[]) => (sent.push([sql, ...params]), Promise.resolve([] as T[]))
  await s.run(db, { a: 'A', b: 2 })
  assert.deepEqual(sent, [['SELECT $1 AS x WHERE $2 IS NOT NULL', 2, 'A']])
  assert.throws(() => s.values({ a: 'A' } as { a: string; b: number }), /statement example: no value for :b/)
})
