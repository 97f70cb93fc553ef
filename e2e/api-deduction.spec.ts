import { test, expect, rpc, apiLogin, createUser } from './fixtures'
import { CREATE, CLOSE, LIST } from '../tests/support/rpc'


test.describe('deduction.Company over Connect JSON', () => {
  test('the end-to-end flow: login, open, listed, close, empty list', async ({ request }) => {
    const user = await createUser()
    const { token } = await apiLogin(request, user)
    const body = { token, arrangementType: 'Deduction', productCode: '00000001', userId: user.userId }
    expect((await rpc(request, CREATE, body)).json).toMatchObject({ status: 'SUCCESS', code: '00' })
    const listed = await rpc(request, LIST, { token, arrangementType: 'Deduction', userId: user.userId })
    expect(listed.json).toMatchObject({
      code: '00',
      simpliedProductInfo: [{ productCode: '00000001', productName: '摩拜单车微信免密支付', proudctOrgName: '摩拜单车' }],
      nextPageToken: '',
    })
    expect((await rpc(request, CLOSE, body)).json.code).toBe('00')
    const empty = await rpc(request, LIST, { token, arrangementType: 'Deduction', userId: user.userId })
    expect(empty.json).toMatchObject({ code: '00', simpliedProductInfo: [] })
  })

  test('the result-code table: 03, 14, 15, 16, 00, 17, and 04, 10', async ({ request }) => {
    const user = await createUser()
    const other = await createUser()
    const { token } = await apiLogin(request, user)
    const body = { token, arrangementType: 'Deduction', productCode: '00000002', userId: user.userId }
    const code = async (method: string, b: object) => (await rpc(request, method, b)).json.code
    expect(await code(CREATE, { ...body, token: '' })).toBe('03')
    expect(await code(CREATE, { ...body, productCode: '99999999' })).toBe('14')
    expect(await code(CREATE, { ...body, arrangementType: 'Acquiring' })).toBe('15')
    expect(await code(CREATE, body)).toBe('00')
    expect(await code(CREATE, body)).toBe('16')
    expect(await code(CREATE, { ...body, userId: other.userId })).toBe('04')
    expect(await code(CREATE, { ...body, productCode: '' })).toBe('10')
    expect(await code(CLOSE, { ...body, token: 'nope' })).toBe('03')
    expect(await code(CLOSE, { ...body, productCode: '99999999' })).toBe('14')
    expect(await code(CLOSE, { ...body, arrangementType: 'Acquiring' })).toBe('15')
    expect(await code(CLOSE, body)).toBe('00')
    expect(await code(CLOSE, body)).toBe('17')
    expect(await code(LIST, { token: '', arrangementType: 'Deduction', userId: user.userId })).toBe('03')
    expect(await code(LIST, { token, arrangementType: 'Acquiring', userId: user.userId })).toBe('15')
    expect(await code(LIST, { token, arrangementType: 'Deduction', userId: other.userId })).toBe('04')
    const bad = await rpc(request, CREATE, { ...body, productCode: 'x'.repeat(33) })
    expect(bad.json.code).toBe('10')
    expect(bad.json.desc).toContain('productCode')
  })

  test('protocol errors: wrong types 400, wrong content type 415, unknown method 404', async ({ request }) => {
    const wrongType = await request.post(`/api/${CREATE}`, { data: '{"productCode": 5}', headers: { 'content-type': 'application/json' } })
    expect(wrongType.status()).toBe(400)
    expect((await wrongType.json()).code).toBe('invalid_argument')
    const malformed = await request.post(`/api/${CREATE}`, { data: '{"productCode":', headers: { 'content-type': 'application/json' } })
    expect(malformed.status()).toBe(400)
    const text = await request.post(`/api/${CREATE}`, { data: 'hello', headers: { 'content-type': 'text/plain' } })
    expect(text.status()).toBe(415)
    const unknown = await request.post('/api/deduction.Company/Nope', { data: '{}', headers: { 'content-type': 'application/json' } })
    expect(unknown.status()).toBe(404)
    expect((await unknown.json()).code).toBe('unimplemented')
  })

  test('50 concurrent opens: one 00 and 49 × 16; 50 concurrent closes: one 00 and 49 × 17', async ({ request }) => {
    // 20 rounds of 100 calls: a few seconds on an idle machine, more on a busy one
    test.setTimeout(180_000)
    const user = await createUser()
    const { token } = await apiLogin(request, user)
    const body = { token, arrangementType: 'Deduction', productCode: '00000001', userId: user.userId }
    for (let round = 0; round < 20; round++) {
      const opens = await Promise.all(Array.from({ length: 50 }, () => rpc(request, CREATE, body)))
      expect(opens.every((o) => o.http === 200)).toBe(true)
      expect(opens.filter((o) => o.json.code === '00')).toHaveLength(1)
      expect(opens.filter((o) => o.json.code === '16')).toHaveLength(49)
      const closes = await Promise.all(Array.from({ length: 50 }, () => rpc(request, CLOSE, body)))
      expect(closes.filter((o) => o.json.code === '00')).toHaveLength(1)
      expect(closes.filter((o) => o.json.code === '17')).toHaveLength(49)
    }
  })

  test('Idempotency-Key: a retry replays the first answer, another body with the key is 10', async ({ request }) => {
    const user = await createUser()
    const { token } = await apiLogin(request, user)
    const body = { token, arrangementType: 'Deduction', productCode: '00000001', userId: user.userId }
    const key = { 'idempotency-key': `open-${Date.now()}` }
    expect((await rpc(request, CREATE, body, key)).json.code).toBe('00')
    expect((await rpc(request, CREATE, body, key)).json.code).toBe('00')
    expect((await rpc(request, CREATE, { ...body, productCode: '00000002' }, key)).json.code).toBe('10')
  })
})
