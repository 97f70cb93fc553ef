// one database is enough: uses no database
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { checkActionEnvelope } from '@/lib/http/action-request'

const BOUNDARY = 'b0undary'
const MULTIPART = `multipart/form-data; boundary=${BOUNDARY}`
const multipart = (fields: [string, string][]) =>
  Buffer.from(fields.map(([name, value]) => `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`).join('') + `--${BOUNDARY}--\r\n`)
const text = (s: string) => Buffer.from(s)

test('what React sends passes: a form with its list of arguments, or the list as text', async () => {
  assert.deepEqual(await checkActionEnvelope(MULTIPART, multipart([['1_productCode', '00000001'], ['0', '["$undefined","$K1"]']])), { ok: true })
  assert.deepEqual(await checkActionEnvelope(MULTIPART, multipart([['0', '[{"ok":false,"message":"$$5 off"},"$K1"]']])), { ok: true })
  assert.deepEqual(await checkActionEnvelope('text/plain;charset=UTF-8', text('["en","$K1"]')), { ok: true })
  assert.deepEqual(await checkActionEnvelope('text/plain;charset=UTF-8', text('[]')), { ok: true })
})

test('what Next could not decode is refused with 400, another content type with 415', async () => {
  const refused: [string, string | undefined, Buffer, 400 | 415][] = [
    ['text that is not JSON', 'text/plain;charset=UTF-8', text('hello'), 400],
    ['empty text', 'text/plain;charset=UTF-8', text(''), 400],
    ['a JSON string, not a list', 'text/plain', text('"x"'), 400],
    ['a JSON object, not a list', 'text/plain', text('{"productCode":"1"}'), 400],
    ['a reference to a part that is not there', 'text/plain', text('["$@1"]'), 400],
    ['a nested reference', 'text/plain', text('[{"a":["$1"]}]'), 400],
    ['an empty form', MULTIPART, Buffer.alloc(0), 400],
    ['a form without its list', MULTIPART, multipart([['1_productCode', '1']]), 400],
    ['a form field without a name', MULTIPART, multipart([['', 'x'], ['0', '[]']]), 400],
    ['a form with two lists', MULTIPART, multipart([['0', '[]'], ['0', '[]']]), 400],
    // React's form reader takes a field named like a number for that part (+name): " " is part 0, before the real one
    ['a field named " ", read as the list', MULTIPART, multipart([[' ', 'not JSON'], ['0', '[]']]), 400],
    ['a field named "00", read as the list', MULTIPART, multipart([['00', '[1]'], ['0', '[]']]), 400],
    ['a field named "0x0", after the list', MULTIPART, multipart([['0', '[]'], ['0x0', 'x']]), 400],
    ['a field named "S0", a stream part 0', MULTIPART, multipart([['S0', 'x'], ['0', '[]']]), 400],
    ['a truncated form', MULTIPART, multipart([['0', '[]']]).subarray(0, 30), 400],
    ['a form without a boundary', 'multipart/form-data', multipart([['0', '[]']]), 400],
    ['JSON', 'application/json', text('[]'), 415],
    ['URL-encoded', 'application/x-www-form-urlencoded', text('a=1'), 415],
    ['no content type', undefined, text('[]'), 415],
  ]
  for (const [label, type, body, status] of refused) {
    const check = await checkActionEnvelope(type, body)
    assert.equal(check.ok ? 200 : check.status, status, label)
  }
})
