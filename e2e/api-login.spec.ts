import { test, expect, rpc, apiLogin, createUser } from './fixtures'
import { LOGIN, REFRESH, LOGOUT, LIST } from '../tests/support/rpc'

const list = (token: string, userId: string) => ({ token, arrangementType: 'Deduction', userId })

test.describe('user.User over Connect JSON', () => {
  test('the login cases: 01 unknown user, 02 wrong password, 00 with a token', async ({ request }) => {
    const user = await createUser()
    const unknown = await rpc(request, LOGIN, { loginKey: 'nobody@example.com', loginValue: 'whatever-pass' })
    expect(unknown.http).toBe(200)
    expect(unknown.json).toMatchObject({ status: 'FAILED', code: '01', desc: '用户不存在' })
    const wrong = await rpc(request, LOGIN, { loginKey: user.email, loginValue: 'wrong-password' })
    expect(wrong.json).toMatchObject({ status: 'FAILED', code: '02', desc: '用户账号密码错误' })
    const ok = await apiLogin(request, user)
    expect(ok).toMatchObject({ status: 'SUCCESS', code: '00', userId: user.userId })
    expect(ok.token).toMatch(/^fca_/)
    expect(ok.refreshToken).toMatch(/^fcr_/)
    expect(new Date(ok.expireTime).getTime()).toBeGreaterThan(Date.now())
    expect(unknown.headers['x-request-id']).toBeTruthy()
  })

  test('English descriptions on request', async ({ request }) => {
    const answer = await rpc(request, LOGIN, { loginKey: 'nobody@example.com', loginValue: 'whatever-pass' }, { 'accept-language': 'en-US,en;q=0.9' })
    expect(answer.json.desc).toBe('User does not exist')
  })

  test('two logins of one account: the first token gets 03; two accounts are independent', async ({ request }) => {
    const a = await createUser()
    const b = await createUser()
    const first = await apiLogin(request, a)
    const other = await apiLogin(request, b)
    const second = await apiLogin(request, a)
    const call = LIST
    expect((await rpc(request, call, list(first.token, a.userId))).json.code).toBe('03')
    expect((await rpc(request, call, list(second.token, a.userId))).json.code).toBe('00')
    expect((await rpc(request, call, list(other.token, b.userId))).json.code).toBe('00')
  })

  test('refresh rotates; reusing a spent refresh token ends the session', async ({ request }) => {
    const user = await createUser()
    const first = await apiLogin(request, user)
    const refreshed = await rpc(request, REFRESH, { refreshToken: first.refreshToken })
    expect(refreshed.json.code).toBe('00')
    const token = refreshed.json.token as string
    expect(token).not.toBe(first.token)
    const call = LIST
    expect((await rpc(request, call, list(first.token, user.userId))).json.code).toBe('03')
    expect((await rpc(request, call, list(token, user.userId))).json.code).toBe('00')
    const reuse = await rpc(request, REFRESH, { refreshToken: first.refreshToken })
    expect(reuse.json.code).toBe('03')
    expect((await rpc(request, call, list(token, user.userId))).json.code).toBe('03')
  })

  test('answers that carry a token are never stored by a cache', async ({ request }) => {
    const user = await createUser()
    const login = await rpc(request, LOGIN, { loginKey: user.email, loginValue: user.password })
    expect(login.json.code).toBe('00')
    expect(login.headers['cache-control']).toBe('no-store')
    const refreshed = await rpc(request, REFRESH, { refreshToken: login.json.refreshToken })
    expect(refreshed.json.code).toBe('00')
    expect(refreshed.headers['cache-control']).toBe('no-store')
    // a refused attempt says the same, so no cache keeps any answer of these calls
    const refused = await rpc(request, LOGIN, { loginKey: user.email, loginValue: 'not-the-password' })
    expect(refused.json.code).toBe('02')
    expect(refused.headers['cache-control']).toBe('no-store')
  })

  test('logout ends the session; forged and malformed tokens are 03; bearer header works', async ({ request }) => {
    const user = await createUser()
    const s = await apiLogin(request, user)
    const call = LIST
    expect((await rpc(request, call, list('', user.userId), { authorization: `Bearer ${s.token}` })).json.code).toBe('00')
    expect((await rpc(request, LOGOUT, { token: s.token })).json.code).toBe('00')
    expect((await rpc(request, call, list(s.token, user.userId))).json.code).toBe('03')
    expect((await rpc(request, call, list('fca_' + 'x'.repeat(43), user.userId))).json.code).toBe('03')
    expect((await rpc(request, call, list('', user.userId), { authorization: 'Bearer %%' })).json.code).toBe('03')
    expect((await rpc(request, call, list(s.refreshToken, user.userId))).json.code).toBe('03')
  })

  test('repeated failures answer 05 with a retry time', async ({ request }) => {
    const user = await createUser()
    for (let i = 0; i < 5; i++) {
      expect((await rpc(request, LOGIN, { loginKey: user.email, loginValue: 'wrong-password' })).json.code).toBe('02')
    }
    const blocked = await rpc(request, LOGIN, { loginKey: user.email, loginValue: user.password })
    expect(blocked.json.code).toBe('05')
    expect(blocked.json.desc).toMatch(/\d+/)
  })

  test('20 concurrent logins of one user: exactly one token works afterwards', async ({ request }) => {
    const user = await createUser()
    const logins = await Promise.all(Array.from({ length: 20 }, () => apiLogin(request, user)))
    const call = LIST
    const codes = await Promise.all(logins.map((l) => rpc(request, call, list(l.token, user.userId)).then((r) => r.json.code)))
    expect(codes.filter((c) => c === '00')).toHaveLength(1)
  })
})
