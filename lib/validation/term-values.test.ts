// one database is enough: uses no database
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { DomainError } from '@/lib/errors'
import { arrangementTerms } from '@/lib/agreements/arrangement-terms'
import { parseTermValues, valuesForChange, valuesForOpening } from '@/lib/validation/term-values'

// The values' shape and the schemas built from an arrangement's term definitions: each
// refusal is code 10 naming the field.

const { terms } = arrangementTerms(
  JSON.stringify({
    version: 1,
    properties: [
      { key: 'account', label: { zh: '开通账号', en: 'Account' }, type: 'text', maxLength: 8, required: true },
      { key: 'pay', label: { zh: '扣款方式', en: 'Payment' }, type: 'choice', options: [{ value: 'A', label: { zh: '甲', en: 'A' } }, { value: 'B', label: { zh: '乙', en: 'B' } }], default: 'A', changeable: true },
    ],
  }),
)

function refusal(run: () => unknown): string {
  try {
    run()
  } catch (error) {
    assert.ok(error instanceof DomainError && error.code === '10', String(error))
    return `${error.detail?.field}: ${error.detail?.reason}`
  }
  return 'accepted'
}

test('the shape: an object of term names and one-line text; a key named __proto__ is a bad name, however the object was made', () => {
  const nullProto = Object.create(null) as Record<string, unknown>
  nullProto['__proto__'] = 'x'
  for (const input of [JSON.parse('{"__proto__": "x"}'), nullProto, { '1st': 'x' }]) {
    assert.equal(refusal(() => parseTermValues(input)), 'propertyValues: has a name that is not a term of this arrangement')
  }
  assert.equal(refusal(() => parseTermValues(['A'])), 'propertyValues: must be an object of term names and text values')
  assert.equal(refusal(() => parseTermValues({ account: 7 })), 'propertyValues.account: must be a string')
  assert.equal(refusal(() => parseTermValues({ account: 'a\nb' })), 'propertyValues.account: must not contain control characters')
  assert.deepEqual(parseTermValues({ account: '  M-1  ', pay: '' }), { account: 'M-1' })
  assert.deepEqual(parseTermValues(undefined), {})
})

test('opening and changing are checked against the terms: unknown, invalid, required, unchangeable', () => {
  assert.deepEqual(valuesForOpening(terms, { account: 'M-1' }), { account: 'M-1', pay: 'A' })
  assert.equal(refusal(() => valuesForOpening(terms, { account: 'M-1', colour: 'red' })), 'propertyValues.colour: is not a term of this arrangement')
  assert.equal(refusal(() => valuesForOpening(terms, { account: 'M-1', pay: 'C' })), 'propertyValues.pay: must be one of A, B')
  assert.equal(refusal(() => valuesForOpening(terms, { account: '123456789' })), 'propertyValues.account: must be at most 8 characters')
  assert.equal(refusal(() => valuesForOpening(terms, {})), 'propertyValues.account: is required')
  assert.deepEqual(valuesForChange(terms, { pay: 'B' }), { pay: 'B' })
  assert.equal(refusal(() => valuesForChange(terms, {})), 'propertyValues: must name at least one term to change')
  assert.equal(refusal(() => valuesForChange(terms, { account: 'M-2' })), 'propertyValues.account: cannot be changed after opening')
})
