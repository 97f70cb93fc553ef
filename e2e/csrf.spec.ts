import type { APIResponse, Page, Request } from '@playwright/test'
import { test, expect, createUser, type TestUser } from './fixtures'

// Server actions (login, open, close, sign out) refuse a request that is not from
// our own pages — a foreign Origin, Origin: null, a malformed Origin, no Origin,
// or Sec-Fetch-Site: cross-site — and write nothing. Each action is captured from
// the browser's own request (stopped before it reaches the server), then replayed
// through the browser context's request client (same cookies) with altered
// headers; finally replayed unaltered, to show the replay itself works. The same
// captured actions then carry hostile form fields: never a 5xx, nothing written;
// and malformed action envelopes (which only a hand-made request has): refused or
// answered with a form error, never a 5xx, nothing written.


type Captured = { url: string; headers: Record<string, string>; body: Buffer }

/** Stops the next server action POST to `path` before it leaves the browser and returns it. */
async function captureAction(page: Page, path: string, trigger: () => Promise<void>): Promise<Captured> {
  let request: Request | undefined
  const pattern = (url: URL) => url.pathname === path
  await page.route(pattern, async (route) => {
    const r = route.request()
    if (r.method() === 'POST' && (await r.headerValue('next-action'))) {
      request = r
      return route.abort()
    }
    return route.continue()
  })
  await trigger()
  await expect.poll(() => request !== undefined, { message: `the browser posted no action to ${path}` }).toBe(true)
  await page.unroute(pattern)
  const headers = await request!.allHeaders()
  // the request client sets these itself (the cookies are the context's own)
  for (const name of ['cookie', 'content-length', 'host', 'connection', 'accept-encoding']) delete headers[name]
  return { url: request!.url(), headers, body: request!.postDataBuffer() ?? Buffer.alloc(0) }
}

const origin = (page: Page) => new URL(page.url()).origin

/** The hostile variants of a captured action's headers. */
function forgeries(captured: Captured, ours: string): [string, Record<string, string>][] {
  const { origin: _o, 'sec-fetch-site': _s, ...bare } = captured.headers
  void _o
  void _s
  const host = new URL(ours).host
  return [
    ['a foreign Origin, cross-site', { ...bare, origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' }],
    ['a foreign Origin', { ...bare, origin: 'https://evil.example' }],
    ['Origin: null', { ...bare, origin: 'null' }],
    ['no Origin, Sec-Fetch-Site: cross-site', { ...bare, 'sec-fetch-site': 'cross-site' }],
    ['no Origin at all', bare],
    ['our Origin but Sec-Fetch-Site: cross-site', { ...bare, origin: ours, 'sec-fetch-site': 'cross-site' }],
    ['a look-alike host', { ...bare, origin: `http://${host}.evil.example` }],
    ['credentials in the Origin', { ...bare, origin: `http://${host}@evil.example` }],
    ['a malformed Origin', { ...bare, origin: 'not a url' }],
  ]
}

async function send(page: Page, captured: Captured, headers: Record<string, string>, body = captured.body): Promise<APIResponse> {
  return page.request.post(captured.url, { headers, data: body, maxRedirects: 0, failOnStatusCode: false })
}

async function expectRefused(page: Page, captured: Captured, what: string) {
  for (const [label, headers] of forgeries(captured, origin(page))) {
    const res = await send(page, captured, headers)
    expect(res.status(), `${what} with ${label}`).toBe(403)
    expect(await res.text()).toContain('cross-origin request refused')
  }
}

async function submitLogin(page: Page, user: TestUser) {
  await page.goto('/login')
  const form = page.getByTestId('login-form')
  await form.locator('input[name="email"]').fill(user.email)
  await form.locator('input[name="password"]').fill(user.password)
  await page.getByTestId('login-submit').click()
}

/** Signs in through the form; the first submit is captured (and stopped: the page then shows its error view). */
async function signIn(page: Page): Promise<Captured> {
  const user = await createUser({ label: 'csrf' })
  const captured = await captureAction(page, '/login', () => submitLogin(page, user))
  await submitLogin(page, user)
  await expect(page).toHaveURL(/\/services$/)
  return captured
}

const card = (page: Page, code: string) => page.locator(`[data-testid="catalogue-card"][data-product-code="${code}"]`)

async function isOpen(page: Page, code: string): Promise<boolean> {
  await page.goto('/services/open')
  return (await card(page, code).getAttribute('data-opened')) === 'true'
}

test('server actions refuse foreign, null, missing and cross-site origins, and write nothing', async ({ page }) => {
  test.setTimeout(90_000)
  const login = await signIn(page)

  // login: a forged login would start a new session and end this one
  await expectRefused(page, login, 'login')
  await page.goto('/services')
  await expect(page).toHaveURL(/\/services$/)

  // open
  await page.goto('/services/open')
  const open = await captureAction(page, '/services/open', () => card(page, '00000001').getByTestId('open-service-button').click())
  await expectRefused(page, open, 'open')
  expect(await isOpen(page, '00000001'), 'no forged open went through').toBe(false)
  const genuineOpen = await send(page, open, open.headers)
  expect(genuineOpen.status()).toBe(200)
  expect(await isOpen(page, '00000001'), 'the unaltered replay opens: the replay itself works').toBe(true)

  // close
  await page.goto('/services/00000001/close')
  const close = await captureAction(page, '/services/00000001/close', () => page.getByTestId('confirm-close').click())
  await expectRefused(page, close, 'close')
  expect(await isOpen(page, '00000001'), 'no forged close went through').toBe(true)
  expect((await send(page, close, close.headers)).status()).toBe(200)
  expect(await isOpen(page, '00000001')).toBe(false)

  // sign out: a forged one would end the session
  await page.goto('/devices')
  const signOut = await captureAction(page, '/devices', () => page.getByTestId('sign-out').click())
  await expectRefused(page, signOut, 'sign out')
  await page.goto('/services')
  await expect(page).toHaveURL(/\/services$/)
})

test('hostile form fields in the open action: never a 5xx; malformed envelopes refused or a form error, never a 5xx; nothing opened', async ({ page }) => {
  test.setTimeout(90_000)
  await signIn(page)
  await page.goto('/services/open')
  const open = await captureAction(page, '/services/open', () => card(page, '00000002').getByTestId('open-service-button').click())
  const text = open.body.toString('utf8')
  expect(text, 'the action carries the product code as a form field').toContain('00000002')
  const hostile = [
    'x'.repeat(33),
    '😀'.repeat(33),
    '扣'.repeat(5000),
    'a\u0000b',
    'a\nb',
    'a\u0085b',
    '',
    '   ',
    "' OR '1'='1",
    "00000002'; DROP TABLE de_user_ar_rel;--",
    '<script>alert(1)</script>',
    '99999999',
    'T2000001',
  ]
  let tried = 0
  let fivexx = 0
  for (const value of hostile) {
    // the form's field, replaced byte for byte in the multipart body
    const body = Buffer.from(text.replace('00000002', value), 'utf8')
    const res = await send(page, open, open.headers, body)
    tried++
    if (res.status() >= 500) fivexx++
    expect(res.status(), `productCode ${JSON.stringify(value.slice(0, 40))}`).toBeLessThan(500)
  }
  console.log(`hostile form inputs: ${tried} tried, ${fivexx} 5xx`)
  expect(fivexx).toBe(0)

  // Malformed action envelopes, which no browser sends: refused (4xx) before the action
  // runs, or answered by the action with a form error — never a 5xx — and nothing written
  const boundary = /boundary=([^;]+)/.exec(open.headers['content-type'] ?? '')?.[1]
  expect(boundary, 'the action posts a multipart form').toBeTruthy()
  // the captured form's parts, so that a case changes one thing about a real envelope
  const parts = text.split(`--${boundary}`).slice(1, -1)
  const fieldPart = parts.find((p) => p.includes('00000002'))!
  const fieldName = /name="([^"]+)"/.exec(fieldPart)![1]
  // React reads the form's fields up to its list of arguments (the part named "0", sent last): changes go before it
  const argumentsPart = parts.find((p) => p.includes('name="0"'))!
  const rebuilt = (list: string[]) => Buffer.from(`--${boundary}${[...list, argumentsPart].join(`--${boundary}`)}--${boundary}--\r\n`, 'utf8')
  const others = parts.filter((p) => p !== fieldPart && p !== argumentsPart)
  const asFile = fieldPart.replace(`name="${fieldName}"`, `name="${fieldName}"; filename="code.txt"\r\nContent-Type: text/plain`)
  const malformed: [string, Record<string, string>, Buffer][] = [
    ['an unknown action id', { ...open.headers, 'next-action': 'f'.repeat(42) }, open.body],
    ['a truncated body', open.headers, open.body.subarray(0, Math.floor(open.body.length / 2))],
    ['an empty body', open.headers, Buffer.alloc(0)],
    ['an empty text body', { ...open.headers, 'content-type': 'text/plain;charset=UTF-8' }, Buffer.alloc(0)],
    ['a JSON body', { ...open.headers, 'content-type': 'application/json' }, Buffer.from('{"productCode":"00000002"}')],
    ['a text body', { ...open.headers, 'content-type': 'text/plain;charset=UTF-8' }, Buffer.from('productCode=00000002')],
    ['a text body of the wrong arguments', { ...open.headers, 'content-type': 'text/plain;charset=UTF-8' }, Buffer.from('[1,2]')],
    ['the form with a file where a string is expected', open.headers, rebuilt([...others, asFile])],
    ['the form with the product code missing', open.headers, rebuilt(others)],
    ['the form with the product code repeated', open.headers, rebuilt([...others, fieldPart, fieldPart.replace('00000002', '00000001')])],
    ['the form with a 60 KiB product code', open.headers, rebuilt([...others, fieldPart.replace('00000002', '0'.repeat(60 * 1024))])],
  ]
  for (const [label, headers, body] of malformed) {
    const res = await send(page, open, headers, body)
    expect(res.status(), label).toBeGreaterThanOrEqual(200)
    expect(res.status(), `${label}: never a 5xx`).toBeLessThan(500)
  }
  console.log(`malformed action envelopes: ${malformed.length} tried, 0 5xx`)
  expect(await isOpen(page, '00000002'), 'nothing was opened').toBe(false)
  expect(await isOpen(page, '00000001')).toBe(false)
})
