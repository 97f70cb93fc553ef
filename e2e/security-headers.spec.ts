import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import http from 'node:http'
import https from 'node:https'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import type { Browser, Page } from '@playwright/test'
import pg from 'pg'
import { test, expect, createUser, type TestUser } from './fixtures'
import { startServer, type ServerProcess } from '../tests/support/server-process'
import { prepareDatabase } from '../tests/support/prepare-database'

// The browser-facing protections: the session cookie is HttpOnly and SameSite,
// and Secure (with the __Secure- prefix) when the site is served over HTTPS;
// pages carry a CSP whose scripts run by nonce only (no 'unsafe-inline'), may not
// be framed, send a strict Referrer-Policy and nosniff; HTTPS adds HSTS. The
// HTTPS case runs a server of its own behind a small TLS proxy written here
// (a self-signed certificate made by openssl at test time), with PUBLIC_URL
// naming the https:// address, as a deployment behind a TLS terminator would.


/** Collects every CSP violation the page reports, and console errors that mention the policy. */
function watchPolicy(page: Page): string[] {
  const violations: string[] = []
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) violations.push(message.text())
  })
  void page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      console.error(`Content Security Policy violation: ${event.violatedDirective} ${event.blockedURI}`)
    })
  })
  return violations
}

async function signIn(page: Page, email: string, password: string) {
  await page.goto('/login')
  const form = page.getByTestId('login-form')
  await form.locator('input[name="email"]').fill(email)
  await form.locator('input[name="password"]').fill(password)
  await page.getByTestId('login-submit').click()
  await expect(page).toHaveURL(/\/services$/)
}

function expectPageHeaders(headers: Record<string, string>) {
  const csp = headers['content-security-policy'] ?? ''
  const scriptSrc = csp.split(';').map((d) => d.trim()).find((d) => d.startsWith('script-src')) ?? ''
  expect(scriptSrc).toMatch(/'nonce-[A-Za-z0-9+/=_-]+'/)
  expect(scriptSrc).not.toContain("'unsafe-inline'")
  expect(scriptSrc).not.toContain("'unsafe-eval'")
  expect(csp).toContain("frame-ancestors 'none'")
  expect(csp).toContain("object-src 'none'")
  expect(csp).toContain("base-uri 'self'")
  expect(csp).toContain("form-action 'self'")
  expect(headers['x-frame-options']).toBe('DENY')
  expect(headers['x-content-type-options']).toBe('nosniff')
  expect(headers['referrer-policy']).toBe('strict-origin-when-cross-origin')
}

test.describe('over HTTP', () => {
  test('pages: CSP with a fresh nonce per response, no inline scripts; no framing; nosniff; Referrer-Policy; no HSTS', async ({ page, request }) => {
    const first = await request.get('/login')
    const second = await request.get('/login')
    expectPageHeaders(first.headers())
    expect(first.headers()['strict-transport-security'], 'HSTS is for HTTPS only').toBeUndefined()
    const nonce = (csp: string) => /'nonce-([^']+)'/.exec(csp)?.[1]
    expect(nonce(first.headers()['content-security-policy'])).not.toBe(nonce(second.headers()['content-security-policy']))
    // every script of the page carries this response's nonce
    const html = await first.text()
    const scripts = html.match(/<script\b[^>]*>/g) ?? []
    expect(scripts.length).toBeGreaterThan(0)
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce(first.headers()['content-security-policy'])}"`)

    // and the page works under the policy: no violation, the form is interactive
    const violations = watchPolicy(page)
    const user = await createUser()
    await signIn(page, user.email, user.password)
    await page.goto('/services/open')
    await expect(page.getByTestId('catalogue-card').first()).toBeVisible()
    expect(violations).toEqual([])
  })

  test('the API and the probes: nosniff, a CSP that loads nothing, no framing', async ({ request }) => {
    for (const res of [
      await request.post('/api/user.User/Login', { data: '{}', headers: { 'content-type': 'application/json' } }),
      await request.get('/healthz'),
    ]) {
      const headers = res.headers()
      expect(headers['x-content-type-options']).toBe('nosniff')
      expect(headers['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'")
      expect(headers['x-frame-options']).toBe('DENY')
    }
  })

  test('the session cookie is HttpOnly and SameSite=Lax (not Secure over plain HTTP)', async ({ page, context }) => {
    const user = await createUser()
    await signIn(page, user.email, user.password)
    const cookie = (await context.cookies()).find((c) => c.name === 'next-auth.session-token')
    expect(cookie, 'the session cookie').toBeTruthy()
    expect(cookie!.httpOnly).toBe(true)
    expect(cookie!.sameSite).toBe('Lax')
    expect(cookie!.secure).toBe(false)
    // and scripts cannot read it
    expect(await page.evaluate(() => document.cookie)).not.toContain('next-auth.session-token')
  })

  test('another site cannot frame a page', async ({ page, baseURL }) => {
    const violations: string[] = []
    page.on('console', (message) => violations.push(message.text()))
    await page.setContent(`<iframe id="f" src="${baseURL}/login" width="400" height="300"></iframe>`)
    // the browser reports the refusal on the console once it has the frame's answer
    await expect.poll(() => violations.join('\n')).toMatch(/frame-ancestors|X-Frame-Options|Refused to (display|frame)/i)
    const frame = page.frames().find((f) => f !== page.mainFrame())
    const framedForm = frame ? await frame.locator('[data-testid="login-form"]').count().catch(() => 0) : 0
    expect(framedForm, 'the login form does not render inside a foreign frame').toBe(0)
  })
})

// ---------------------------------------------------------------------------
// HTTPS through a local TLS proxy

type Tls = { server: ServerProcess; proxy: https.Server; base: string; dir: string; user: TestUser; dropDatabase?: () => Promise<void> }
let tls: Tls | undefined

async function freshDatabase(dir: string): Promise<{ env: Record<string, string | undefined>; drop?: () => Promise<void> }> {
  if (!process.env.DATABASE_URL) return { env: { PGLITE_DIR: fs.mkdtempSync(path.join(dir, 'pglite-')), DATABASE_URL: undefined } }
  const url = new URL(process.env.DATABASE_URL)
  const name = `${url.pathname.slice(1)}_e2e_tls`
  const admin = async (statement: string) => {
    const client = new pg.Client({ connectionString: process.env.DATABASE_URL })
    await client.connect()
    try {
      await client.query(statement)
    } finally {
      await client.end()
    }
  }
  await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
  await admin(`CREATE DATABASE "${name}"`)
  url.pathname = `/${name}`
  return { env: { DATABASE_URL: url.toString() }, drop: () => admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) }
}

/** A TLS terminator: HTTPS in, HTTP to the app, the Host kept, X-Forwarded-Proto/For added. */
/** A TLS proxy to the server that `upstream` names once it is started (the proxy listens first, so that its port is the site's address). */
function tlsProxy(dir: string, upstream: () => string): https.Server {
  const key = path.join(dir, 'key.pem')
  const cert = path.join(dir, 'cert.pem')
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'pipe' })
  return https.createServer({ key: fs.readFileSync(key), cert: fs.readFileSync(cert) }, (req, res) => {
    const target = new URL(upstream())
    const forwarded = http.request(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, 'x-forwarded-proto': 'https', 'x-forwarded-for': req.socket.remoteAddress ?? '' },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers)
        answer.pipe(res)
      },
    )
    forwarded.on('error', () => {
      if (!res.headersSent) res.writeHead(502)
      res.end()
    })
    req.pipe(forwarded)
  })
}

test.describe('over HTTPS (a local TLS proxy in front of a server of its own)', () => {
  // one server, proxy and database for the group, started once in beforeAll: its tests share them,
  // so they run one after the other in one worker (spread over workers, each would start its own)
  test.describe.configure({ mode: 'serial' })

  test.beforeAll(async () => {
    test.setTimeout(180_000)
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fc-tls-'))
    const database = await freshDatabase(dir)
    // a user of its own database (the TLS server's), made by the same maker
    const [user] = prepareDatabase(database.env, { users: 1, label: 'tls' })
    let upstream = ''
    const proxy = tlsProxy(dir, () => upstream)
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve))
    const base = `https://127.0.0.1:${(proxy.address() as AddressInfo).port}`
    // the site's address is the HTTPS one: cookies become Secure, HSTS is sent
    const server = await startServer({ ...database.env, PUBLIC_URL: base })
    upstream = server.base
    tls = { server, proxy, base, dir, user, dropDatabase: database.drop }
  })

  test.afterAll(async () => {
    if (!tls) return
    await new Promise((resolve) => tls!.proxy.close(resolve))
    await tls.server.stop('SIGTERM')
    await tls.dropDatabase?.()
    fs.rmSync(tls.dir, { recursive: true, force: true })
  })

  async function secureContext(browser: Browser) {
    return browser.newContext({ baseURL: tls!.base, ignoreHTTPSErrors: true, locale: 'zh-CN' })
  }

  test('a sign-in over HTTPS: the cookie is __Secure-, Secure, HttpOnly, SameSite=Lax; HSTS on pages and the API', async ({ browser }) => {
    const context = await secureContext(browser)
    const page = await context.newPage()
    const violations = watchPolicy(page)
    const loginPage = await page.goto('/login')
    expectPageHeaders(loginPage!.headers())
    expect(loginPage!.headers()['strict-transport-security']).toMatch(/^max-age=\d{7,}/)
    await signIn(page, tls!.user.email, tls!.user.password)
    const cookies = await context.cookies()
    expect(cookies.find((c) => c.name === 'next-auth.session-token'), 'no cookie without the prefix').toBeUndefined()
    const cookie = cookies.find((c) => c.name === '__Secure-next-auth.session-token')
    expect(cookie, 'the session cookie').toBeTruthy()
    expect(cookie!.secure).toBe(true)
    expect(cookie!.httpOnly).toBe(true)
    expect(cookie!.sameSite).toBe('Lax')
    // the whole flow works over HTTPS: a page behind the session, and an action
    await page.goto('/services/open')
    const card = page.locator('[data-testid="catalogue-card"][data-product-code="00000001"]')
    await card.getByTestId('open-service-button').click()
    await expect(card.getByTestId('opened-badge')).toBeVisible()
    expect(violations).toEqual([])
    const api = await context.request.post('/api/user.User/Login', { data: '{}', headers: { 'content-type': 'application/json' } })
    expect(api.headers()['strict-transport-security']).toMatch(/^max-age=\d{7,}/)
    await context.close()
  })
})
