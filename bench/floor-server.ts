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
import { END_LOGIN_WITHOUT_SESSION, RESERVE_LOGIN, START_LOGIN_SESSION } from '@/lib/auth/login-statements'
import { SESSION_BY_TOKEN, TOUCH_SESSION } from '@/lib/auth/session-statements'
import { MERCHANT_KEY, PRODUCT_MERCHANT } from '@/lib/merchants/merchant-statements'
import { parseMerchantAuthorization, secretMatches } from '@/lib/merchants/api-key'
import {
  ARRANGEMENTS_BY_STATUS,
  ARRANGEMENTS_BY_VERSION,
  CATALOGUE_ARRANGEMENT,
  CATALOGUE_PRODUCTS,
  HISTORY_OF_TYPE,
  PRODUCT_BY_CODE,
  RELATION_OF_TYPE,
  type ArrangementRow,
  type CatalogueProductRow,
  type HistoryRow,
  type ProductRow,
  type RelationRow,
} from '@/lib/services/catalogue-statements'
import { CLOSE_DEDUCTION, LIST_FIRST_PAGE, LIST_LATER_PAGE, OPEN_DEDUCTION } from '@/lib/services/deduction-statements'
import { decodePageToken, encodePageToken } from '@/lib/services/page-token'
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
  const { rows } = await query<Session>(SESSION_BY_TOKEN, [sha256(token)])
  const s = rows[0]
  const now = Date.now()
  if (!s || s.tenantId !== TENANT || s.liveUserId === null) throw new Refusal('03')
  if (!s.tokenExpiresAt || s.tokenExpiresAt.getTime() <= now) throw new Refusal('03')
  if (s.absoluteExpiresAt.getTime() <= now || s.idleExpiresAt.getTime() <= now) throw new Refusal('03')
  if (now - s.lastSeenAt.getTime() > TOUCH_INTERVAL_MS) {
    await query(TOUCH_SESSION, [TENANT, s.id, new Date(Math.min(now + IDLE_MS, s.absoluteExpiresAt.getTime())), new Date(now)])
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

type ListRow = { arrangementFound: boolean; relId: string | null; productCode: string | null; productName: string | null; productOrgName: string | null }

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
    const { rows } = after
      ? await query<ListRow>(LIST_LATER_PAGE, [TENANT, t.arrangementType, t.userId, pageSize + 1, after])
      : await query<ListRow>(LIST_FIRST_PAGE, [TENANT, t.arrangementType, t.userId, pageSize + 1])
    if (!rows[0]?.arrangementFound) throw new Refusal('15')
    const found = rows.filter((r) => r.relId !== null)
    const items = found.slice(0, pageSize)
    return answer('00', {
      simpliedProductInfo: items.map((r) => ({ productCode: r.productCode, productName: r.productName, proudctOrgName: r.productOrgName })),
      nextPageToken: found.length > pageSize ? encodePageToken(owner, items[items.length - 1].relId as string) : '',
    })
  },
  async 'deduction.Company/CreateDeductionService'(body, authorization) {
    const s = await authenticate(body, authorization)
    const t = target(body, s, true)
    const relId = uuidv7().replaceAll('-', '')
    const { rows } = await query<Outcome>(OPEN_DEDUCTION, [TENANT, t.arrangementType, t.productCode, s.userId, relId, s.id, s.device, IN_FORCE, null, null])
    return settle(rows[0], '16')
  },
  async 'deduction.Company/CloseDeductionService'(body, authorization) {
    const s = await authenticate(body, authorization)
    const t = target(body, s, true)
    const { rows } = await query<Outcome>(CLOSE_DEDUCTION, [TENANT, t.arrangementType, t.productCode, s.userId, s.id, s.device])
    return settle(rows[0], '17')
  },
  async 'deduction.Company/QueryProductCatalogue'(body, authorization) {
    const s = await authenticate(body, authorization)
    const t = target(body, s, false)
    const [{ rows: [arrangement] }, { rows: products }] = await Promise.all([
      query<ArrangementRow>(CATALOGUE_ARRANGEMENT, [TENANT, t.arrangementType, IN_FORCE]),
      query<CatalogueProductRow>(CATALOGUE_PRODUCTS, [TENANT, t.arrangementType, IN_FORCE, s.userId, CATALOGUE_SIZE]),
    ])
    if (!arrangement) throw new Refusal('15')
    return answer('00', { arrangement: arrangementInfo(arrangement, termsOf(arrangement.properties)), products: products.map((p) => productInfo(p, p.opened)) })
  },
  async 'deduction.Company/QueryDeductionDetail'(body, authorization) {
    const s = await authenticate(body, authorization)
    const t = target(body, s, true)
    const [{ rows: arrangements }, { rows: [product] }, { rows: [relation] }, { rows: events }] = await Promise.all([
      query<ArrangementRow>(ARRANGEMENTS_BY_STATUS, [TENANT, t.arrangementType]),
      query<ProductRow>(PRODUCT_BY_CODE, [TENANT, t.productCode]),
      query<RelationRow>(RELATION_OF_TYPE, [TENANT, t.arrangementType, s.userId, t.productCode]),
      query<HistoryRow>(HISTORY_OF_TYPE, [TENANT, t.arrangementType, s.userId, t.productCode, HISTORY_SIZE]),
    ])
    const current = arrangements.find((a) => a.status === IN_FORCE) ?? arrangements[0]
    if (!current) throw new Refusal('15')
    if (!product) throw new Refusal('14')
    const arrangement = arrangements.find((a) => a.number === relation?.arrangementNo) ?? current
    const terms = termsOf(arrangement.properties)
    const stored = storedValues(relation?.propertyValues ?? null)
    const values: Record<string, string> = {}
    if (relation) {
      for (const term of terms) {
        const value = stored[term.key] ?? term.default
        if (value) values[term.key] = value
      }
    }
    return answer('00', {
      product: productInfo(product, relation !== undefined),
      arrangement: arrangementInfo(arrangement, terms),
      openedAt: relation?.createdAt.toISOString() ?? '',
      propertyValues: values,
      history: events.map((e) => ({ action: e.action, outcomeCode: e.outcomeCode, time: e.createdAt.toISOString(), device: e.device ?? '', propertyValues: storedValues(e.propertyValues) })),
    })
  },
  // the merchant's key as the app checks it: its row by key id, then the secret's hash
  async 'deduction.Merchant/QueryAgreement'(body, authorization) {
    const presented = parseMerchantAuthorization(authorization)
    if (!presented) throw new Refusal('03')
    const { rows: [key] } = await query<{ merchantId: string; secretHash: string }>(MERCHANT_KEY, [TENANT, presented.keyId, ACTIVE_MERCHANT])
    if (!key || !secretMatches(presented.secret, key.secretHash)) throw new Refusal('03')
    if (!text(body.arrangementType, 32) || !text(body.productCode, 32) || !text(body.userId, 32)) throw new Refusal('10')
    const arrangementType = body.arrangementType as string
    const productCode = body.productCode as string
    const userId = body.userId as string
    const { rows: [owner] } = await query<{ merchantId: string }>(PRODUCT_MERCHANT, [TENANT, productCode])
    if (owner?.merchantId !== key.merchantId) throw new Refusal('04')
    const [{ rows: arrangements }, { rows: [product] }, { rows: [relation] }] = await Promise.all([
      query<ArrangementRow>(ARRANGEMENTS_BY_VERSION, [TENANT, arrangementType]),
      query<ProductRow>(PRODUCT_BY_CODE, [TENANT, productCode]),
      query<RelationRow>(RELATION_OF_TYPE, [TENANT, arrangementType, userId, productCode]),
    ])
    if (arrangements.length === 0) throw new Refusal('15')
    if (!product) throw new Refusal('14')
    const arrangement = arrangements.find((a) => a.number === relation?.arrangementNo) ?? arrangements.find((a) => a.status === IN_FORCE) ?? arrangements[0]
    return answer('00', {
      agreement: {
        userId,
        productCode,
        productName: product.name,
        arrangementNo: arrangement.number,
        arrangementName: arrangement.name,
        arrangementVersion: arrangement.version,
        open: relation !== undefined,
        openedAt: relation?.createdAt.toISOString() ?? '',
        terms: arrangement.properties ?? '',
        propertyValues: relation?.propertyValues ?? '',
      },
    })
  },
  // the app's two statements around the hash; the floor does not wait for slots taken
  // by checks in flight (the bench's logins never fill them) and answers 05 at once
  async 'user.User/Login'(body) {
    if (!text(body.loginKey, 255) || typeof body.loginValue !== 'string' || body.loginValue === '') throw new Refusal('10')
    const loginKey = (body.loginKey as string).trim().toLowerCase()
    const accountKey = sha256(loginKey)
    type Reserved = { accountWindowEndsMs: number | null; addressWindowEndsMs: number | null; userId: string | null; passwordHash: string | null; userStatus: string | null }
    const { rows } = await query<Reserved>(RESERVE_LOGIN, [TENANT, accountKey, ADDRESS, BLOCK_SECONDS, MAX_FAILURES, MAX_FAILURES * 10, loginKey])
    const r = rows[0]
    const slots = [TENANT, accountKey, r.accountWindowEndsMs, ADDRESS, r.addressWindowEndsMs]
    const endWithout = (failed: number, outcome: string, userId: string | null) =>
      query(END_LOGIN_WITHOUT_SESSION, [...slots, failed, userId, outcome, 'api', DEVICE, ADDRESS])
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
    const { rows: started } = await query<{ started: boolean }>(START_LOGIN_SESSION, [
      ...slots, 0, r.userId, randomUUID(), 'api', DEVICE, ADDRESS, sha256(token), expireTime, new Date(now),
      new Date(now + IDLE_MS), new Date(now + ABSOLUTE_MS), sha256(refreshToken), new Date(now + REFRESH_TTL_MS), ACTIVE_USER, true,
    ])
    if (!started[0].started) throw new Refusal('01')
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
