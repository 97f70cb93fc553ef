// one database is enough: uses no database
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { z } from 'zod'
import { DomainError } from '@/lib/errors'
import { formText, readActionForm } from '@/lib/forms/action-envelope'

const schema = z.object({ productCode: formText(64), arrangementType: formText(64).optional() }).catchall(formText(2048))

const form = (entries: [string, string | Blob][]) => {
  const data = new FormData()
  for (const [name, value] of entries) data.append(name, value)
  return data
}

/** The field and reason of the code-10 refusal, or the fields read. */
function read(input: unknown): { field?: string; reason?: string } | Record<string, string | undefined> {
  try {
    return readActionForm(input, schema)
  } catch (error) {
    assert.ok(error instanceof DomainError, `a coded refusal, not ${String(error)}`)
    assert.equal(error.code, '10')
    return { field: error.detail?.field, reason: error.detail?.reason }
  }
}

test('a form of our pages reads as its fields; Next’s own fields are left aside', () => {
  assert.deepEqual({ ...read(form([['productCode', '00000001'], ['term.account', 'a'], ['$ACTION_ID_abc', '']])) }, { productCode: '00000001', 'term.account': 'a' })
})

test('anything but a form is refused as code 10, never a TypeError', () => {
  for (const input of [undefined, null, 'productCode=1', ['00000001'], { productCode: '00000001', get: () => '1' }, 42, new URLSearchParams('productCode=1')]) {
    assert.deepEqual(read(input), { field: 'form', reason: 'is not a form' }, String(input))
  }
})

test('a file, a repeated field, a missing one, an over-long one, too many: each refused naming the field', () => {
  assert.deepEqual(read(form([['productCode', new Blob(['x'])]])), { field: 'productCode', reason: 'must be text, not a file' })
  assert.deepEqual(read(form([['productCode', '1'], ['productCode', '2']])), { field: 'productCode', reason: 'is given more than once' })
  assert.deepEqual(read(form([['arrangementType', 'Deduction']])), { field: 'productCode', reason: 'is required' })
  assert.deepEqual(read(form([['productCode', 'x'.repeat(65)]])), { field: 'productCode', reason: 'must be at most 64 characters' })
  assert.deepEqual(read(form([['productCode', '1'], ['term.x', 'y'.repeat(60_000)]])), { field: 'term.x', reason: 'must be at most 2048 characters' })
  assert.deepEqual(read(form(Array.from({ length: 33 }, (_, i) => [`f${i}`, 'x'] as [string, string]))), { field: 'form', reason: 'has more than 32 fields' })
  assert.equal((read(form([['productCode', '1'], ['n'.repeat(200), 'x']])) as { field: string }).field.length, 128, 'a long name is cut in the answer')
})

test('a field named __proto__ or constructor changes no object’s prototype', () => {
  const fields = read(form([['productCode', '1'], ['__proto__', 'x'], ['constructor', 'y']])) as Record<string, string>
  assert.equal(fields.productCode, '1')
  assert.notEqual(Object.getPrototypeOf(fields), 'x')
  assert.equal(({} as Record<string, unknown>).productCode, undefined)
})
