// The floor: what the benchmarked calls cost with no framework at all. node:http
// and a pg pool, the app's own SQL statements (imported from lib/, so the two cannot
// drift), the same checks in the same order and answers of the same shape. Every app figure is
// reported as a ratio to this server's, measured in the same run.
//   env: DATABASE_URL, PORT, DB_POOL_SIZE, FC_TENANT_ID, TOKEN_TTL_SECONDS,
//        SESSION_IDLE_SECONDS, SESSION_ABSOLUTE_SECONDS, REFRESH_TTL_SECONDS,
//        LOGIN_MAX_FAILURES, LOGIN_BLOCK_SECONDS, AUTH_SECRET (the page tokens' key, as in the app)
import { createHash, randomBytes, randomUUID } from 'node:crypto'
import http from 'node:http'
import argon2 from 'argon2'
import pg from 'pg'
import { v7 as uuidv7 } from 'uuid'
import { hashPassword } from '@/lib/auth/password'
import { lowerHashingPriority } from '@/lib/auth/hashing-priority'
import { statementNames } from '@/lib/db/statement-names'
import { endLoginWithoutSession } from '@/lib/db/statements/end-login-without-session'
import { reserveLogin } from '@/lib/db/statements/reserve-login'
import { startLoginSession } from '@/lib/db/statements/start-login-session'
import type { Parameters, Statement } from '@/lib/db/statement'
import { agreementDetail } from '@/lib/db/statements/agreement-detail'
import { agreementForMerchant } from '@/lib/db/statements/agreement-for-merchant'
import type { AgreementRow } from '@/lib/db/statements/agreement-of-type'
import type { ArrangementRow, ProductRow } from '@/lib/db/statements/arrangement-row'
import { catalogueArrangement } from '@/lib/db/statements/catalogue-arrangement'
import { catalogueProducts } from '@/lib/db/statements/catalogue-products'
import { closeAgreement } from '@/lib/db/statements/close-agreement'
import { listFirstPage, listLaterPage } from '@/lib/db/statements/list-agreements'
import { merchantKey } from '@/lib/db/statements/merchant-key'
import { openAgreement } from '@/lib/db/statements/open-agreement'
import { sessionByToken } from '@/lib/db/statements/session-by-token'
import { touchSession } from '@/lib/db/statements/touch-session'
import { parseMerchantAuthorization, secretMatches } from '@/lib/merchants/api-key'
import { decodePageToken, encodePageToken } from '@/lib/agreements/page-token'
import { floorSigning } from './floor-signing'

const env = (name: string, fallback?: string) => {
  const v = process.env[name] ?? fallback
  if (v === undefined) throw new Error(`${name} is required`)
  return v
}
const TENANT = env('FC_TENANT_ID', 'FC000001')
const TOKEN_TTL_MS = Number(env('TOKEN_TTL_SECONDS', '900')) * 1000
const IDLE_MS = Number(env('SESSION_IDLE_SECONDS', '1800')) * 1000
const ABSOLUTE_MS = Number(env('SESSION_ABSOLUTE_SECONDS', '43200')) * 1000
const REFRESH_TTL_MS = Number(env('REFRESH_TTL_SECONDS', '2592000')) * 1000
const MAX_FAILURES = Number(env('LOGIN_MAX_FAILURES', '5'))
const BLOCK_SECONDS = Number(env('LOGIN_BLOCK_SECONDS', '900'))
const ACTIVE_USER = '1'
const IN_FORCE = '2'
const ACTIVE_MERCHANT = '1'
const CATALOGUE_SIZE = 500
const HISTORY_SIZE = 200
const ADDRESS = '127.0.0.1'
const DEVICE = 'bench'
const TOUCH_INTERVAL_MS = 60_000
const READ_MAX_BYTES = 64 * 1024

const pool = new pg.Pool({ connectionString: env('DATABASE_URL'), max: Number(env('DB_POOL_SIZE', '10')) })
pool.on('error', () => {})
// the app's statement protocol too: each statement named, so parsed and planned once per connection
const nameOf = statementNames()
const query = <T extends pg.QueryResultRow>(text: string, values: unknown[]) => pool.query<T>({ name: nameOf(text), text, values })
// the app's statement files, sent the same way
const run = async <P extends Parameters, R>(statement: Statement<P, R>, params: P) => (await query(statement.text, statement.values(params))).rows as R[]

type Body = Record<string, unknown>
type Session = {
  tenantId: string
  id: string
  userId: string
  liveUserId: string | null
  device: string
  tokenExpiresAt: Date | null
  lastSeenAt: Date
  idleExpiresAt: Date
  absoluteExpiresAt: Date
}

// the descriptions the app sends for these codes (messages/zh.json)
const DESC: Record<string, string> = { '00': '成功', '03': '未登录', '04': '无权操作', '10': '参数错误', '15': '合约不存在', '14': '产品不存在', '16': '已开通', '17': '未开通', '02': '账号或密码错误', '05': '尝试次数过多' }
const answer = (code: string, extra: Body = {}) => ({ status: code === '00' ? 'SUCCESS' : 'FAILED', code, desc: DESC[code] ?? code, ...extra })
const signing = floorSigning(pool, TENANT, answer)
class Refusal extends Error {
  constructor(readonly code: string) {
    super(code)
  }
}

// the same work for an unknown login key as for a known one
const decoy = hashPassword(randomUUID())
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex')
const text = (v: unknown, max: number) => typeof v === 'string' && v.trim() !== '' && [...v].length <= max

async function authenticate(body: Body, authorization: string | undefined): Promise<Session> {
  const token = typeof body.token === 'string' && body.token ? body.token : /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1]
  if (!token || !/^fca_[A-Za-z0-9_-]{43}$/.test(token)) throw new Refusal('03')
  const [s] = await run(sessionByToken, { tokenHash: sha256(token) })
  const now = Date.now()
  if (!s || s.tenantId !== TENANT || s.liveUserId === null) throw new Refusal('03')
  if (!s.tokenExpiresAt || s.tokenExpiresAt.getTime() <= now) throw new Refusal('03')
  if (s.absoluteExpiresAt.getTime() <= now || s.idleExpiresAt.getTime() <= now) throw new Refusal('03')
  if (now - s.lastSeenAt.getTime() > TOUCH_INTERVAL_MS) {
    await run(touchSession, { tenantId: TENANT, sessionId: s.id, idleExpiresAt: new Date(Math.min(now + IDLE_MS, s.absoluteExpiresAt.getTime())), now: new Date(now) })
  }
  return s
}

function target(body: Body, session: Session, withProduct: boolean) {
  if (!text(body.arrangementType, 32) || !text(body.userId, 32) || (withProduct && !text(body.productCode, 32))) throw new Refusal('10')
  if (body.userId !== session.userId) throw new Refusal('04')
  return { arrangementType: body.arrangementType as string, userId: body.userId as string, productCode: body.productCode as string }
}

type Outcome = { arrangementFound: boolean; productFound: boolean; changed: boolean }
function settle(o: Outcome, failed: string) {
  if (!o.arrangementFound) throw new Refusal('15')
  if (!o.productFound) throw new Refusal('14')
  if (!o.changed) throw new Refusal(failed)
  return answer('00')
}

const agreementOf = (t: { arrangementType: string; productCode: string }, userId: string) => ({ tenantId: TENANT, ...t, userId, inForce: IN_FORCE })
// the arrangement (15), then the product (14), as the app checks them
function described(row: AgreementRow) {
  if (row.arrangementNumber === null) throw new Refusal('15')
  if (row.productCode === null) throw new Refusal('14')
  const arrangement: ArrangementRow = {
    number: row.arrangementNumber,
    name: row.arrangementName ?? '',
    version: row.arrangementVersion ?? '',
    type: row.arrangementType ?? '',
    status: '',
    properties: row.arrangementProperties,
  }
  const product = { code: row.productCode, name: row.productName ?? '', orgName: row.productOrgName ?? '', description: row.productDescription ?? '' }
  return { arrangement, product }
}

// An arrangement's terms as the app answers them. The app also checks the stored
// document against its schema; the floor takes it as stored (the seed's is valid).
type Term = { key: string; label: unknown; type: string; options?: unknown[]; required?: boolean; default?: string; changeable?: boolean; masked?: boolean; maxLength?: number }
function termsOf(raw: string | null): Term[] {
  if (!raw) return []
  try {
    const doc = JSON.parse(raw) as { properties?: unknown }
    return Array.isArray(doc.properties) && doc.properties.every((t) => typeof t === 'object' && t !== null) ? (doc.properties as Term[]) : []
  } catch {
    return []
  }
}
const arrangementInfo = (a: ArrangementRow, terms: Term[]) => ({
  arrangementNumber: a.number,
  arrangementName: a.name,
  arrangementVersion: a.version,
  arrangementType: a.type,
  properties: terms.map((t) => ({
    key: t.key,
    label: t.label,
    type: t.type,
    options: t.type === 'choice' ? t.options : [],
    required: t.required ?? false,
    defaultValue: t.default ?? '',
    changeable: t.changeable ?? false,
    masked: t.masked ?? false,
    maxLength: t.type === 'text' ? (t.maxLength ?? 100) : 0,
  })),
})
const productInfo = (p: ProductRow, opened: boolean) => ({ productCode: p.code, productName: p.name, productOrgName: p.orgName, productDesc: p.description, opened })
function storedValues(raw: string | null): Record<string, string> {
  if (!raw) return {}
  try {
    const parsed = JSON.parse(raw) as unknown
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return {}
    return Object.fromEntries(Object.entries(parsed).filter((e): e is [string, string] => typeof e[1] === 'string'))
  } catch {
    return {}
  }
}

const calls: Record<string, (body: Body, authorization: string | undefined) => Promise<Body>> = {
  async 'deduction.Company/QueryDeductionListByUserIdAndArType'(body, authorization) {
    const s = await authenticate(body, authorization)
    const t = target(body, s, false)
    const pageSize = typeof body.pageSize === 'number' && body.pageSize > 0 ? Math.min(body.pageSize, 100) : 20
    // the app's sealed page tokens, so that the floor does the same work per call
    const owner = { tenantId: TENANT, userId: t.userId, arrangementType: t.arrangementType }
    let after: string | undefined
    if (typeof body.pageToken === 'string' && body.pageToken) {
      after = decodePageToken(owner, body.pageToken)
      if (after === undefined) throw new Refusal('10')
    }
    const page = { tenantId: TENANT, arrangementType: t.arrangementType, userId: t.userId, limit: pageSize + 1 }
    const rows = after ? await run(listLaterPage, { ...page, afterAgreementId: after }) : await run(listFirstPage, page)
    if (!rows[0]?.arrangementFound) throw new Refusal('15')
    const found = rows.filter((r) => r.agreementId !== null)
    const items = found.slice(0, pageSize)
    return answer('00', {
      simpliedProductInfo: items.map((r) => ({ productCode: r.productCode, productName: r.productName, proudctOrgName: r.productOrgName })),
      nextPageToken: found.length > pageSize ? encodePageToken(owner, items[items.length - 1].agreementId as string) : '',
    })
  },
  async 'deduction.Company/CreateDeductionService'(body, authorization) {
    const s = await authenticate(body, authorization)
    const t = target(body, s, true)
    const agreementId = uuidv7().replaceAll('-', '')
    const [outcome] = await run(openAgreement, {
      tenantId: TENANT,
      arrangementType: t.arrangementType,
      productCode: t.productCode,
      userId: s.userId,
      agreementId,
      sessionId: s.id,
      device: s.device,
      inForce: IN_FORCE,
      arrangementNo: null,
      checkedProperties: null,
      propertyValues: null,
    })
    return settle(outcome, '16')
  },
  async 'deduction.Company/CloseDeductionService'(body, authorization) {
    const s = await authenticate(body, authorization)
    const t = target(body, s, true)
    const [outcome] = await run(closeAgreement, {
      tenantId: TENANT,
      arrangementType: t.arrangementType,
      productCode: t.productCode,
      userId: s.userId,
      actorType: 'USER',
      actorId: null,
      sessionId: s.id,
      device: s.device,
      reason: null,
    })
    return settle(outcome, '17')
  },
  async 'deduction.Company/QueryProductCatalogue'(body, authorization) {
    const s = await authenticate(body, authorization)
    const t = target(body, s, false)
    const catalogue = { tenantId: TENANT, arrangementType: t.arrangementType, inForce: IN_FORCE }
    const [[arrangement], products] = await Promise.all([
      run(catalogueArrangement, catalogue),
      run(catalogueProducts, { ...catalogue, userId: s.userId, size: CATALOGUE_SIZE }),
    ])
    if (!arrangement) throw new Refusal('15')
    return answer('00', { arrangement: arrangementInfo(arrangement, termsOf(arrangement.properties)), products: products.map((p) => productInfo(p, p.opened)) })
  },
  async 'deduction.Company/QueryDeductionDetail'(body, authorization) {
    const s = await authenticate(body, authorization)
    const t = target(body, s, true)
    const [row] = await run(agreementDetail, { ...agreementOf(t, s.userId), historySize: HISTORY_SIZE })
    const { arrangement, product } = described(row)
    const terms = termsOf(arrangement.properties)
    const stored = storedValues(row.propertyValues)
    const values: Record<string, string> = {}
    if (row.open) {
      for (const term of terms) {
        const value = stored[term.key] ?? term.default
        if (value) values[term.key] = value
      }
    }
    return answer('00', {
      product: productInfo(product, row.open),
      arrangement: arrangementInfo(arrangement, terms),
      openedAt: row.openedAt?.toISOString() ?? '',
      propertyValues: values,
      history: row.history.map((e) => ({ action: e.action, outcomeCode: e.outcomeCode, time: new Date(e.atMs).toISOString(), device: e.device ?? '', propertyValues: storedValues(e.propertyValues) })),
    })
  },
  // the merchant's key as the app checks it: its row by key id, then the secret's hash
  async 'deduction.Merchant/QueryAgreement'(body, authorization) {
    const presented = parseMerchantAuthorization(authorization)
    if (!presented) throw new Refusal('03')
    const [key] = await run(merchantKey, { tenantId: TENANT, keyId: presented.keyId, activeStatus: ACTIVE_MERCHANT })
    if (!key || !secretMatches(presented.secret, key.secretHash)) throw new Refusal('03')
    if (!text(body.arrangementType, 32) || !text(body.productCode, 32) || !text(body.userId, 32)) throw new Refusal('10')
    const arrangementType = body.arrangementType as string
    const productCode = body.productCode as string
    const userId = body.userId as string
    const [row] = await run(agreementForMerchant, { ...agreementOf({ arrangementType, productCode }, userId), merchantId: key.merchantId })
    if (!row.owned) throw new Refusal('04')
    const { arrangement, product } = described(row)
    return answer('00', {
      agreement: {
        userId,
        productCode,
        productName: product.name,
        arrangementNo: arrangement.number,
        arrangementName: arrangement.name,
        arrangementVersion: arrangement.version,
        open: row.open,
        openedAt: row.openedAt?.toISOString() ?? '',
        terms: arrangement.properties ?? '',
        propertyValues: row.propertyValues ?? '',
      },
    })
  },
  // the app's two statements around the hash; the floor does not wait for slots taken
  // by checks in flight (the bench's logins never fill them) and answers 05 at once
  async 'user.User/Login'(body) {
    if (!text(body.loginKey, 255) || typeof body.loginValue !== 'string' || body.loginValue === '') throw new Refusal('10')
    const loginKey = (body.loginKey as string).trim().toLowerCase()
    const accountKey = sha256(loginKey)
    const [r] = await run(reserveLogin, {
      tenantId: TENANT,
      accountKey,
      address: ADDRESS,
      windowSeconds: BLOCK_SECONDS,
      accountLimit: MAX_FAILURES,
      addressLimit: MAX_FAILURES * 10,
      loginKey,
    })
    const slots = { tenantId: TENANT, accountKey, accountWindowEndsMs: r.accountWindowEndsMs, address: ADDRESS, addressWindowEndsMs: r.addressWindowEndsMs }
    const endWithout = (failed: 0 | 1, outcome: string, userId: string | null) =>
      run(endLoginWithoutSession, { ...slots, failed, userId, outcome, channel: 'api', device: DEVICE, ipAddress: ADDRESS })
    if (r.accountWindowEndsMs === null || r.addressWindowEndsMs === null) {
      await endWithout(0, 'THROTTLED', null)
      throw new Refusal('05')
    }
    const ok = await argon2.verify(r.passwordHash ?? (await decoy), body.loginValue).catch(() => false)
    if (!r.userId || r.userStatus !== ACTIVE_USER) {
      await endWithout(1, 'UNKNOWN_USER', null)
      throw new Refusal('01')
    }
    if (!ok || !r.passwordHash) {
      await endWithout(1, 'WRONG_PASSWORD', r.userId)
      throw new Refusal('02')
    }
    const token = 'fca_' + randomBytes(32).toString('base64url')
    const refreshToken = 'fcr_' + randomBytes(32).toString('base64url')
    const now = Date.now()
    const expireTime = new Date(now + TOKEN_TTL_MS)
    const [started] = await run(startLoginSession, {
      ...slots,
      failed: 0,
      userId: r.userId,
      sessionId: randomUUID(),
      channel: 'api',
      device: DEVICE,
      ipAddress: ADDRESS,
      tokenHash: sha256(token),
      tokenExpiresAt: expireTime,
      now: new Date(now),
      idleExpiresAt: new Date(now + IDLE_MS),
      absoluteExpiresAt: new Date(now + ABSOLUTE_MS),
      refreshTokenHash: sha256(refreshToken),
      refreshExpiresAt: new Date(now + REFRESH_TTL_MS),
      activeStatus: ACTIVE_USER,
      recordAttempt: true,
    })
    if (!started.started) throw new Refusal('01')
    return answer('00', { token, refreshToken, expireTime: expireTime.toISOString(), userId: r.userId })
  },
  ...signing.calls,
}

function send(res: http.ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' })
  res.end(JSON.stringify(body))
}

const server = http.createServer((req, res) => {
  const path = (req.url ?? '').split('?', 1)[0]
  if (path === '/healthz') return send(res, 200, { status: 'ok' })
  if (signing.serveConfirm(req, res, path)) return
  const call = path.startsWith('/api/') ? calls[path.slice(5)] : undefined
  if (!call || req.method !== 'POST') return send(res, 404, { code: 'unimplemented', message: `${path} is not implemented` })
  const chunks: Buffer[] = []
  let size = 0
  req.on('data', (chunk: Buffer) => {
    size += chunk.length
    if (size <= READ_MAX_BYTES) chunks.push(chunk)
  })
  req.on('end', () => {
    if (size > READ_MAX_BYTES) return send(res, 413, { code: 'resource_exhausted', message: 'request body too large' })
    let body: Body
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Body
    } catch {
      return send(res, 400, { code: 'invalid_argument', message: 'unparseable JSON' })
    }
    call(body, req.headers.authorization).then(
      (result) => send(res, 200, result),
      (error: unknown) => {
        if (error instanceof Refusal) return send(res, 200, answer(error.code))
        console.error(error)
        send(res, 503, { code: 'unavailable', message: 'database unavailable' })
      },
    )
  })
})

// hashing at the app's lower priority too (lib/auth/hashing-priority.ts), so the login phases compare like with like
void lowerHashingPriority().then(() =>
  server.listen(Number(env('PORT')), '127.0.0.1', () => console.log(`floor listening on ${env('PORT')}`)),
)
const stop = () => server.close(() => void pool.end().then(() => process.exit(0)))
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
