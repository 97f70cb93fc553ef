// The floor: what the benchmarked calls cost with no framework at all. node:http
// and a pg pool, the same SQL statements as the app (bench/sql.ts), the same
// checks in the same order and answers of the same shape. Every app figure is
// reported as a ratio to this server's, measured in the same run.
//   env: DATABASE_URL, PORT, DB_POOL_SIZE, FC_TENANT_ID, TOKEN_TTL_SECONDS,
//        SESSION_IDLE_SECONDS, SESSION_ABSOLUTE_SECONDS, REFRESH_TTL_SECONDS
import { createHash, randomBytes, randomUUID } from 'node:crypto'
import http from 'node:http'
import argon2 from 'argon2'
import pg from 'pg'
import { v7 as uuidv7 } from 'uuid'
import { CLOSE_DEDUCTION, LIST_FIRST_PAGE, LIST_LATER_PAGE, LOGIN_LOOKUP, LOGIN_START_SESSION, OPEN_DEDUCTION, SESSION_BY_TOKEN, TOUCH_SESSION } from './sql'

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
const TOUCH_INTERVAL_MS = 60_000
const READ_MAX_BYTES = 64 * 1024

const pool = new pg.Pool({ connectionString: env('DATABASE_URL'), max: Number(env('DB_POOL_SIZE', '10')) })
pool.on('error', () => {})

type Body = Record<string, unknown>
type Session = {
  tnt_inst_id: string
  session_id: string
  user_id: string
  live_user_id: string | null
  device: string
  token_expires_at: Date | null
  last_seen_at: Date
  idle_expires_at: Date
  absolute_expires_at: Date
}

// the descriptions the app sends for these codes (messages/zh.json)
const DESC: Record<string, string> = { '00': '成功', '03': '未登录', '04': '无权操作', '10': '参数错误', '15': '合约不存在', '14': '产品不存在', '16': '已开通', '17': '未开通', '02': '账号或密码错误', '05': '尝试次数过多' }
const answer = (code: string, extra: Body = {}) => ({ status: code === '00' ? 'SUCCESS' : 'FAILED', code, desc: DESC[code] ?? code, ...extra })
class Refusal extends Error {
  constructor(readonly code: string) {
    super(code)
  }
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex')
const text = (v: unknown, max: number) => typeof v === 'string' && v.trim() !== '' && [...v].length <= max

async function authenticate(body: Body, authorization: string | undefined): Promise<Session> {
  const token = typeof body.token === 'string' && body.token ? body.token : /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1]
  if (!token || !/^fca_[A-Za-z0-9_-]{43}$/.test(token)) throw new Refusal('03')
  const { rows } = await pool.query<Session>(SESSION_BY_TOKEN, [sha256(token)])
  const s = rows[0]
  const now = Date.now()
  if (!s || s.tnt_inst_id !== TENANT || s.live_user_id === null) throw new Refusal('03')
  if (!s.token_expires_at || s.token_expires_at.getTime() <= now) throw new Refusal('03')
  if (s.absolute_expires_at.getTime() <= now || s.idle_expires_at.getTime() <= now) throw new Refusal('03')
  if (now - s.last_seen_at.getTime() > TOUCH_INTERVAL_MS) {
    await pool.query(TOUCH_SESSION, [TENANT, s.session_id, new Date(Math.min(now + IDLE_MS, s.absolute_expires_at.getTime()))])
  }
  return s
}

function target(body: Body, session: Session, withProduct: boolean) {
  if (!text(body.arrangementType, 32) || !text(body.userId, 32) || (withProduct && !text(body.productCode, 32))) throw new Refusal('10')
  if (body.userId !== session.user_id) throw new Refusal('04')
  return { arrangementType: body.arrangementType as string, userId: body.userId as string, productCode: body.productCode as string }
}

type Outcome = { arrangementFound: boolean; productFound: boolean; done: boolean }
function settle(o: Outcome, failed: string) {
  if (!o.arrangementFound) throw new Refusal('15')
  if (!o.productFound) throw new Refusal('14')
  if (!o.done) throw new Refusal(failed)
  return answer('00')
}

type ListRow = { arrangementFound: boolean; relId: string | null; productCode: string | null; productName: string | null; productOrgName: string | null }

const calls: Record<string, (body: Body, authorization: string | undefined) => Promise<Body>> = {
  async 'deduction.Company/QueryDeductionListByUserIdAndArType'(body, authorization) {
    const s = await authenticate(body, authorization)
    const t = target(body, s, false)
    const pageSize = typeof body.pageSize === 'number' && body.pageSize > 0 ? Math.min(body.pageSize, 100) : 20
    let after: string | undefined
    if (typeof body.pageToken === 'string' && body.pageToken) {
      after = Buffer.from(body.pageToken, 'base64url').toString('utf8')
      if (!/^[0-9a-f]{32}$/.test(after)) throw new Refusal('10')
    }
    const { rows } = after
      ? await pool.query<ListRow>(LIST_LATER_PAGE, [TENANT, t.arrangementType, t.userId, pageSize + 1, after])
      : await pool.query<ListRow>(LIST_FIRST_PAGE, [TENANT, t.arrangementType, t.userId, pageSize + 1])
    if (!rows[0]?.arrangementFound) throw new Refusal('15')
    const found = rows.filter((r) => r.relId !== null)
    const items = found.slice(0, pageSize)
    return answer('00', {
      simpliedProductInfo: items.map((r) => ({ productCode: r.productCode, productName: r.productName, proudctOrgName: r.productOrgName })),
      nextPageToken: found.length > pageSize ? Buffer.from(items[items.length - 1].relId as string).toString('base64url') : '',
    })
  },
  async 'deduction.Company/CreateDeductionService'(body, authorization) {
    const s = await authenticate(body, authorization)
    const t = target(body, s, true)
    const relId = uuidv7().replaceAll('-', '')
    const { rows } = await pool.query<Outcome>(OPEN_DEDUCTION, [TENANT, t.arrangementType, t.productCode, s.user_id, relId, s.session_id, s.device])
    return settle(rows[0], '16')
  },
  async 'deduction.Company/CloseDeductionService'(body, authorization) {
    const s = await authenticate(body, authorization)
    const t = target(body, s, true)
    const { rows } = await pool.query<Outcome>(CLOSE_DEDUCTION, [TENANT, t.arrangementType, t.productCode, s.user_id, s.session_id, s.device])
    return settle(rows[0], '17')
  },
  async 'user.User/Login'(body) {
    if (!text(body.loginKey, 255) || typeof body.loginValue !== 'string' || body.loginValue === '') throw new Refusal('10')
    const loginKey = (body.loginKey as string).trim().toLowerCase()
    const counterKey = sha256(loginKey)
    type Credential = { user_id: string; password_hash: string; user_status: string; failures: number | null }
    const { rows } = await pool.query<Credential>(LOGIN_LOOKUP, [TENANT, loginKey, counterKey])
    const c = rows[0]
    if (c && (c.failures ?? 0) >= MAX_FAILURES) throw new Refusal('05')
    if (!c || c.user_status !== '1') throw new Refusal('01')
    if (!(await argon2.verify(c.password_hash, body.loginValue))) throw new Refusal('02')
    const token = 'fca_' + randomBytes(32).toString('base64url')
    const refreshToken = 'fcr_' + randomBytes(32).toString('base64url')
    const now = Date.now()
    const expireTime = new Date(now + TOKEN_TTL_MS)
    await pool.query(LOGIN_START_SESSION, [
      TENANT, c.user_id, randomUUID(), 'bench', '127.0.0.1', sha256(token), expireTime,
      new Date(now + IDLE_MS), new Date(now + ABSOLUTE_MS), sha256(refreshToken), new Date(now + REFRESH_TTL_MS),
    ])
    return answer('00', { token, refreshToken, expireTime: expireTime.toISOString(), userId: c.user_id })
  },
}

function send(res: http.ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' })
  res.end(JSON.stringify(body))
}

const server = http.createServer((req, res) => {
  const path = (req.url ?? '').split('?', 1)[0]
  if (path === '/healthz') return send(res, 200, { status: 'ok' })
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

server.listen(Number(env('PORT')), '127.0.0.1', () => console.log(`floor listening on ${env('PORT')}`))
const stop = () => server.close(() => void pool.end().then(() => process.exit(0)))
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
