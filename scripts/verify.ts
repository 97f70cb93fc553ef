// `npm run verify -- --url <base> --email <account> [--product <code>]`: the
// production verification cases, run through the public API against any running
// deployment — two logins of one account (the first token stops working), open a
// deduction service, the list shows it, close it, the list no longer shows it.
// The password comes from VERIFY_PASSWORD or standard input, never the command line.
// It leaves nothing behind: whatever it opened it closes, even when a step fails, and
// it never touches a service the account already had open. One line per case; exit
// code 0 when all pass, 1 when any fails, 2 for bad arguments.
import { randomUUID } from 'node:crypto'
import { parseArgs } from 'node:util'

type Answer = Record<string, unknown> & { code?: string; desc?: string }

const USAGE = 'usage: npm run verify -- --url <base URL> --email <account> [--product <code>] [--arrangement-type <type>]\n' +
  '  the password from VERIFY_PASSWORD, or standard input'
const TIMEOUT_MS = 15_000

function fail(message: string, code = 2): never {
  console.error(message)
  process.exit(code)
}

function parseFlags() {
  try {
    const { values } = parseArgs({
      options: { url: { type: 'string' }, email: { type: 'string' }, product: { type: 'string' }, 'arrangement-type': { type: 'string' }, help: { type: 'boolean' } },
      strict: true,
    })
    if (values.help) fail(USAGE, 0)
    if (!values.url || !values.email) fail(`missing ${!values.url ? '--url' : '--email'}\n${USAGE}`)
    let base: URL
    try {
      base = new URL(values.url)
    } catch {
      fail(`--url: not a URL: ${values.url}\n${USAGE}`)
    }
    if (base.protocol !== 'http:' && base.protocol !== 'https:') fail(`--url: must be http:// or https://\n${USAGE}`)
    return { base: base.href.replace(/\/+$/, ''), email: values.email, product: values.product ?? '00000001', arrangementType: values['arrangement-type'] ?? 'Deduction' }
  } catch (error) {
    if (error instanceof Error && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) {
      const hint = /password/.test(error.message) ? ' (a password is never taken from the command line: set VERIFY_PASSWORD or pipe it in)' : ''
      fail(`${error.message}${hint}\n${USAGE}`)
    }
    throw error
  }
}

async function readPassword(): Promise<string> {
  if (process.env.VERIFY_PASSWORD) return process.env.VERIFY_PASSWORD
  if (process.stdin.isTTY) process.stderr.write('password: ')
  let text = ''
  for await (const chunk of process.stdin) text += String(chunk)
  const password = text.replace(/\r?\n$/, '')
  if (!password) fail('no password: set VERIFY_PASSWORD or pipe it in on standard input')
  return password
}

const flags = parseFlags()
const password = await readPassword()

async function call(method: string, body: object, headers: Record<string, string> = {}, device = 'A'): Promise<Answer> {
  const res = await fetch(`${flags.base}/api/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': `fcdeduction-verify (device ${device})`, ...headers },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(TIMEOUT_MS),
  })
  const text = await res.text()
  if (res.status !== 200) throw new Error(`${method} answered HTTP ${res.status}: ${text.slice(0, 200)}`)
  return JSON.parse(text) as Answer
}

const expect = (answer: Answer, code: string, what: string) => {
  if (answer.code !== code) throw new Error(`${what}: expected code ${code}, got ${answer.code} (${answer.desc ?? 'no description'})`)
  return answer
}

let failures = 0
async function check(name: string, step: () => Promise<string | void>): Promise<boolean> {
  const started = performance.now()
  try {
    const detail = await step()
    console.log(`✔ ${name}${detail ? ` — ${detail}` : ''} (${Math.round(performance.now() - started)} ms)`)
    return true
  } catch (error) {
    failures++
    console.log(`✖ ${name} — ${error instanceof Error ? error.message : String(error)}`)
    return false
  }
}

const target = (token: string, userId: string) => ({ token, arrangementType: flags.arrangementType, productCode: flags.product, userId })
const listed = async (token: string, userId: string) => {
  const answer = expect(await call('deduction.Company/QueryDeductionListByUserIdAndArType', { token, arrangementType: flags.arrangementType, userId, pageSize: 100 }), '00', 'list')
  return (answer.simpliedProductInfo as { productCode: string }[]).some((p) => p.productCode === flags.product)
}

let first: Answer = {}
let second: Answer = {}
let opened = false
let closed = false

const reachable = await check(`the app at ${flags.base} answers`, async () => {
  const res = await fetch(`${flags.base}/healthz`, { signal: AbortSignal.timeout(TIMEOUT_MS) }).catch((error: Error) => {
    throw new Error(`it does not answer (${error.cause instanceof Error ? error.cause.message : error.message})`)
  })
  if (!res.ok) throw new Error(`/healthz answered HTTP ${res.status}`)
})

const loggedIn = reachable && (await check('login on device A', async () => {
  first = await call('user.User/Login', { loginKey: flags.email, loginValue: password })
  if (first.code === '02' || first.code === '01') throw new Error(`the e-mail or the password is wrong (code ${first.code})`)
  expect(first, '00', 'login')
}))

const single = loggedIn && (await check("login on device B ends device A's session", async () => {
  second = expect(await call('user.User/Login', { loginKey: flags.email, loginValue: password }, {}, 'B'), '00', 'second login')
  const a = await call('deduction.Company/QueryDeductionListByUserIdAndArType', { token: first.token, arrangementType: flags.arrangementType, userId: first.userId })
  if (a.code !== '03') throw new Error(`device A's token still answers code ${a.code}, expected 03 (not logged in)`)
  return "device A's token answers 03"
}))

if (single) {
  const userId = String(second.userId)
  const token = String(second.token)
  try {
    const free = await check(`product ${flags.product} is not open yet`, async () => {
      if (await listed(token, userId)) throw new Error(`the account already has it open; it is left as it is: choose another with --product`)
    })
    if (free) {
      opened = await check(`open ${flags.product}`, async () => {
        expect(await call('deduction.Company/CreateDeductionService', target(token, userId), { 'idempotency-key': randomUUID() }, 'B'), '00', 'open')
      })
      if (opened) {
        await check('the list shows it', async () => {
          if (!(await listed(token, userId))) throw new Error('it is not in the list')
        })
        closed = await check(`close ${flags.product}`, async () => {
          expect(await call('deduction.Company/CloseDeductionService', target(token, userId), { 'idempotency-key': randomUUID() }, 'B'), '00', 'close')
        })
        if (closed) {
          await check('the list no longer shows it', async () => {
            if (await listed(token, userId)) throw new Error('it is still in the list')
          })
        }
      }
    }
  } finally {
    // nothing left behind: what this run opened is closed, and its session ends
    if (opened && !closed) {
      await check(`clean up: close ${flags.product}`, async () => {
        const answer = await call('deduction.Company/CloseDeductionService', target(token, userId), {}, 'B')
        if (answer.code !== '00' && answer.code !== '17') throw new Error(`close answered ${answer.code}`)
      })
    }
    await call('user.User/Logout', { token }, {}, 'B').catch(() => undefined)
  }
}

console.log(failures === 0 ? 'verify: every case passed' : `verify: ${failures} case(s) failed`)
process.exit(failures === 0 ? 0 : 1)
