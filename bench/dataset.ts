// The generated dataset, built in bulk with generate_series (never row by row).
//   users        BU0000000001 … : bench<n>@example.com, all with the same argon2id
//                hash of BENCH_PASSWORD (one hash made with the app's own function)
//   products     B0000001 … B0001000, beside the seed's 00000001 / 00000002
//   relations    on the seed's arrangement 00000001; rel_id is time-ordered like
//                the app's UUIDv7 ids (12 hex digits of epoch ms, then 20 more)
//   terms users  their services carry term values and a history (an open, then a
//                change), for the catalogue, detail and merchant-query phases
//   a merchant   holds every bench product, with one API key (its secret kept here)
//                and one registered return origin for its sign requests
//   signers      users numbered after all others, holding nothing, each with a browser
//                session (its signed cookie kept here); before each confirm load,
//                prepareSignRequests makes one pending sign request per (signer, product)
// Stage one is the 1k-row starting point of the growth test (the list users only);
// stage two adds everything else. Tokens are made here and their SHA-256 stored,
// as the app stores them, so that no login (and no argon2) is needed before a phase.
import { execFileSync } from 'node:child_process'
import { createHash, randomBytes, randomUUID } from 'node:crypto'
import pg from 'pg'
import { hashPassword } from '@/lib/auth/password'
import { DEMO_USERS } from '@/lib/admin/seed-data'
import { sealSessionCookie, sessionCookieName } from '@/lib/auth/web-cookie'
import { hashKeySecret, newKeyId, newKeySecret } from '@/lib/merchants/api-key'
import { valuesJson } from '@/lib/agreements/arrangement-terms'
import { hashSignToken, newSignRequestId, signToken } from '@/lib/signing/sign-link'
import { MerchantStatus } from '@/lib/merchants/merchant-status'
import { encodePageToken } from '@/lib/agreements/page-token'
import { ARRANGEMENT_TYPE, type Caller, type AgreementCaller, type SignConfirm } from './load-spec'
import { DEEP_PAGE_OFFSET, DEEP_USER_AGREEMENTS, DEEP_USERS, FIRST_LOGIN_USER, LIST_USER_AGREEMENTS, LIST_USERS, OPEN_CLOSE_USERS, PRODUCTS, SIGN_USERS, TERMS_USERS, type BenchOptions } from './options'

export const TENANT = 'FC000001'
export const BENCH_PASSWORD = 'bench-password-1'
export const userId = (n: number) => `BU${String(n).padStart(10, '0')}`
export const loginKey = (n: number) => `bench${n}@example.com`

// user numbers by role; every other number up to options.users is an ordinary user
const FIRST_DEEP_USER = LIST_USERS + 1
const FIRST_OPEN_CLOSE_USER = FIRST_DEEP_USER + DEEP_USERS
const FIRST_ORDINARY_USER = FIRST_OPEN_CLOSE_USER
const FIRST_TERMS_USER = FIRST_OPEN_CLOSE_USER + OPEN_CLOSE_USERS
// ordinary users from here on hold a live session whose token nobody knows
const FIRST_IDLE_USER = FIRST_TERMS_USER + TERMS_USERS
export const BENCH_MERCHANT = 'M9000000000000001'
// the merchant's sign requests send the browser back here (registered for it, https as required)
export const SIGN_RETURN_ORIGIN = 'https://shop.bench.example'
export const SIGN_RETURN_URL = `${SIGN_RETURN_ORIGIN}/signed`
/** The terms the merchant proposes in every bench sign request: values of the seed arrangement's two terms. */
export const SIGN_PROPOSED_VALUES = { account: '13800000001', paymentMethod: 'BALANCE_FIRST' }
export const benchProductCode = (n: number) => `B${String(n).padStart(7, '0')}`
const range = (first: number, count: number) => Array.from({ length: count }, (_, i) => first + i)

export function databaseUrl(adminUrl: string, database: string): string {
  const url = new URL(adminUrl)
  url.pathname = `/${database}`
  return url.toString()
}

export async function withClient<T>(url: string, work: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return await work(client)
  } finally {
    await client.end()
  }
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex')
const newToken = () => 'fca_' + randomBytes(32).toString('base64url')

/** Drops and recreates the database, applies the migrations and the seed (demo users included). */
export async function createDatabase(options: BenchOptions): Promise<string> {
  await withClient(options.adminUrl, async (c) => {
    await c.query(`DROP DATABASE IF EXISTS "${options.database}" WITH (FORCE)`)
    await c.query(`CREATE DATABASE "${options.database}"`)
  })
  const url = databaseUrl(options.adminUrl, options.database)
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: url, NODE_ENV: 'development', DEMO_MODE: 'true', LOG_LEVEL: 'warn' }
  execFileSync('npx', ['tsx', 'scripts/db.ts', 'deploy'], { env, stdio: ['ignore', 'ignore', 'inherit'] })
  execFileSync('npx', ['tsx', 'prisma/seed.ts'], { env, stdio: ['ignore', 'ignore', 'inherit'] })
  return url
}

/**
 * Agreements for users first..first+count-1, `per` each, on products chosen so that
 * no user holds one twice; `base` spaces the time-ordered ids of separate calls.
 */
function agreementsSql(users: string, per: number, base: number) {
  return `
    INSERT INTO de_user_ar_rel (tnt_inst_id, rel_id, user_id, pd_code, pd_name, ar_name, ar_no, gmt_create, gmt_modified)
    SELECT '${TENANT}',
           lpad(to_hex(t.ms), 12, '0') || '7' || substr(md5(u.id || ':' || j), 1, 19),
           u.id, p.pd_code, p.pd_name, a.ar_name, a.ar_number, t.at, t.at
    FROM (${users}) u(n, id)
    CROSS JOIN generate_series(0, ${per - 1}) j
    JOIN de_prod p ON p.tnt_inst_id = '${TENANT}' AND p.pd_code = 'B' || lpad(((u.n * 37 + j) % ${PRODUCTS} + 1)::text, 7, '0')
    JOIN de_ar a ON a.tnt_inst_id = '${TENANT}' AND a.ar_number = '00000001'
    CROSS JOIN LATERAL (
      SELECT ${base}::bigint + (u.n::bigint * ${per} + j) AS ms,
             to_timestamp((${base}::bigint + (u.n::bigint * ${per} + j)) / 1000.0) AS at
    ) t`
}

const benchUsers = (first: number, last: number) =>
  `SELECT n, 'BU' || lpad(n::text, 10, '0') FROM generate_series(${first}, ${last}) n`

async function insertUsers(c: pg.Client, first: number, last: number, hash: string) {
  await c.query(`
    INSERT INTO de_user (tnt_inst_id, user_id, user_name, user_type, user_status)
    SELECT '${TENANT}', 'BU' || lpad(n::text, 10, '0'), 'Bench user ' || n, 'PERSONAL', '1'
    FROM generate_series(${first}, ${last}) n`)
  await c.query(
    `INSERT INTO de_user_credential (tnt_inst_id, login_key, user_id, password_hash)
     SELECT '${TENANT}', 'bench' || n || '@example.com', 'BU' || lpad(n::text, 10, '0'), $1
     FROM generate_series(${first}, ${last}) n`,
    [hash],
  )
}

/** Live API sessions whose tokens the load process will present. */
async function insertSessions(c: pg.Client, numbers: number[]): Promise<Caller[]> {
  const callers = numbers.map((n) => ({ userId: userId(n), token: newToken() }))
  await c.query(
    `INSERT INTO de_session (tnt_inst_id, session_id, user_id, live_user_id, channel, device, token_hash,
                             token_expires_at, last_seen_at, idle_expires_at, absolute_expires_at)
     SELECT '${TENANT}', gen_random_uuid()::text, u, u, 'api', 'bench', h,
            now() + interval '1 day', now(), now() + interval '1 day', now() + interval '2 days'
     FROM unnest($1::text[], $2::text[]) AS t(u, h)`,
    [callers.map((c) => c.userId), callers.map((c) => sha256(c.token))],
  )
  return callers
}

export type Dataset = {
  url: string
  /** the one argon2id hash every generated user shares */
  passwordHash: string
  listCallers: Caller[]
  deepCallers: (Caller & { pageToken: string })[]
  openCloseCallers: Caller[]
  /** the terms users, each with one of their services (the newest) */
  termsCallers: AgreementCaller[]
  /** `Bearer <keyId>.<secret>` of the merchant that holds every bench product */
  merchantAuthorization: string
  /** users who confirm sign requests, each with the cookie of their browser session */
  signers: Signer[]
  logins: { loginKey: string; loginValue: string }[]
  /** row counts after each stage */
  rows: { stage1: Record<string, number>; stage2?: Record<string, number> }
  timings: Record<string, number>
}

async function rowCounts(c: pg.Client): Promise<Record<string, number>> {
  const { rows } = await c.query<{ t: string; n: string }>(`
    SELECT 'de_user' t, count(*) n FROM de_user UNION ALL
    SELECT 'de_user_ar_rel', count(*) FROM de_user_ar_rel UNION ALL
    SELECT 'de_prod', count(*) FROM de_prod UNION ALL
    SELECT 'de_session', count(*) FROM de_session`)
  return Object.fromEntries(rows.map((r) => [r.t, Number(r.n)]))
}

async function timed<T>(timings: Record<string, number>, name: string, work: () => Promise<T>): Promise<T> {
  const started = performance.now()
  try {
    return await work()
  } finally {
    timings[name] = Math.round(performance.now() - started) / 1000
  }
}

/** Stage one: the seed, the bench products and the list users with their relations (≈ 1k rows). */
export async function buildStageOne(options: BenchOptions): Promise<Dataset> {
  const timings: Record<string, number> = {}
  const url = await timed(timings, 'create, migrate, seed (s)', () => createDatabase(options))
  const hash = await hashPassword(BENCH_PASSWORD)
  return withClient(url, async (c) => {
    await c.query(`
      INSERT INTO de_prod (tnt_inst_id, pd_code, pd_name, pd_desc, pd_org_name)
      SELECT '${TENANT}', 'B' || lpad(n::text, 7, '0'), '基准产品 ' || n, 'bench product ' || n, '基准机构 ' || (n % 50)
      FROM generate_series(1, ${PRODUCTS}) n`)
    await insertUsers(c, 1, LIST_USERS, hash)
    const base = Date.now() - 40 * 86_400_000
    await c.query(agreementsSql(benchUsers(1, LIST_USERS), LIST_USER_AGREEMENTS, base))
    const listCallers = await insertSessions(c, range(1, LIST_USERS))
    await c.query('VACUUM ANALYZE')
    return {
      url,
      passwordHash: hash,
      listCallers,
      deepCallers: [],
      openCloseCallers: [],
      termsCallers: [],
      merchantAuthorization: '',
      signers: [],
      logins: [],
      rows: { stage1: await rowCounts(c) },
      timings,
    }
  })
}

/** Stage two: every other user, their relations and a live session each; the deep-page users; the first demo user's services. */
export async function buildStageTwo(options: BenchOptions, data: Dataset): Promise<Dataset> {
  const { timings, passwordHash: hash } = data
  return withClient(data.url, async (c) => {
    await c.query('SET synchronous_commit = off')
    await c.query('SET maintenance_work_mem = \'256MB\'')
    await timed(timings, 'users (s)', () => insertUsers(c, FIRST_DEEP_USER, options.users, hash))
    const base = Date.now() - 30 * 86_400_000
    await timed(timings, 'relations (s)', async () => {
      await c.query(agreementsSql(benchUsers(FIRST_DEEP_USER, FIRST_OPEN_CLOSE_USER - 1), DEEP_USER_AGREEMENTS, base))
      await c.query(agreementsSql(benchUsers(FIRST_ORDINARY_USER, options.users), options.relationsPerUser, base + 10_000_000))
      // the demo user the browser signs in as gets a full page of services
      const demo = DEMO_USERS[0].id
      await c.query(agreementsSql(`SELECT 5000, '${demo}'`, 20, base + 20_000_000))
    })
    const openCloseNumbers = range(FIRST_OPEN_CLOSE_USER, OPEN_CLOSE_USERS)
    const deep = await insertSessions(c, range(FIRST_DEEP_USER, DEEP_USERS))
    const openCloseCallers = await insertSessions(c, openCloseNumbers)
    const [termsCallers, merchantAuthorization] = await timed(timings, 'terms users and merchant (s)', async () => [await addTermsUsers(c), await addMerchant(c)] as const)
    const signers = await timed(timings, 'signers (s)', () => addSigners(c, options.users + 1, hash))
    // every ordinary user has a live session too, as in a database that has been in use
    await timed(timings, 'sessions (s)', () =>
      c.query(`
        INSERT INTO de_session (tnt_inst_id, session_id, user_id, live_user_id, channel, device, token_hash,
                                token_expires_at, last_seen_at, idle_expires_at, absolute_expires_at)
        SELECT '${TENANT}', gen_random_uuid()::text, id, id, 'api', 'bench', encode(sha256(('bench-session-' || n)::bytea), 'hex'),
               now() + interval '1 day', now(), now() + interval '1 day', now() + interval '2 days'
        FROM (${benchUsers(FIRST_IDLE_USER, options.users)}) u(n, id)`),
    )
    await timed(timings, 'vacuum analyze (s)', () => c.query('VACUUM ANALYZE'))

    const deepCallers = []
    for (const caller of deep) {
      const { rows } = await c.query<{ rel_id: string }>(
        `SELECT rel_id FROM de_user_ar_rel WHERE tnt_inst_id = $1 AND user_id = $2 ORDER BY rel_id DESC OFFSET $3 LIMIT 1`,
        [TENANT, caller.userId, DEEP_PAGE_OFFSET - 1],
      )
      deepCallers.push({ ...caller, pageToken: encodePageToken({ tenantId: TENANT, userId: caller.userId, arrangementType: ARRANGEMENT_TYPE }, rows[0].rel_id) })
    }
    const loginCount = Math.min(options.users - FIRST_LOGIN_USER + 1, 5000)
    return {
      ...data,
      deepCallers,
      openCloseCallers,
      termsCallers,
      merchantAuthorization,
      signers,
      logins: range(FIRST_LOGIN_USER, loginCount).map((n) => ({ loginKey: loginKey(n), loginValue: BENCH_PASSWORD })),
      rows: { ...data.rows, stage2: await rowCounts(c) },
    }
  })
}

/**
 * The terms users' services get values of the seed arrangement's terms (an account,
 * masked when shown, and a payment method) and a history: the open with the default
 * payment method, then a change of it. Returns each user, with a live session, and
 * their newest service.
 */
async function addTermsUsers(c: pg.Client): Promise<AgreementCaller[]> {
  const last = FIRST_TERMS_USER + TERMS_USERS - 1
  // as the app stores values: JSON with its keys sorted, no spaces
  const values = (method: string) => `'{"account":"138' || lpad(u.n::text, 8, '0') || '","paymentMethod":"${method}"}'`
  const rels = `de_user_ar_rel r JOIN (${benchUsers(FIRST_TERMS_USER, last)}) u(n, id) ON r.tnt_inst_id = '${TENANT}' AND r.user_id = u.id`
  await c.query(`UPDATE de_user_ar_rel r SET property_values = ${values('BALANCE_FIRST')} FROM (${benchUsers(FIRST_TERMS_USER, last)}) u(n, id) WHERE r.tnt_inst_id = '${TENANT}' AND r.user_id = u.id`)
  await c.query(`
    INSERT INTO de_user_ar_event (tnt_inst_id, user_id, pd_code, ar_no, action, outcome_code, device, property_values, gmt_create)
    SELECT r.tnt_inst_id, r.user_id, r.pd_code, r.ar_no, e.action, '00', 'bench', e.property_values, e.at
    FROM ${rels}
    CROSS JOIN LATERAL (VALUES ('OPEN', ${values('DEFAULT_ORDER')}, r.gmt_create), ('CHANGE', ${values('BALANCE_FIRST')}, r.gmt_create + interval '1 day')) e(action, property_values, at)
    ORDER BY e.at -- event ids in time order, as the app's writes make them`)
  const callers = await insertSessions(c, range(FIRST_TERMS_USER, TERMS_USERS))
  const { rows } = await c.query<{ user_id: string; pd_code: string }>(
    `SELECT DISTINCT ON (r.user_id) r.user_id, r.pd_code FROM ${rels} ORDER BY r.user_id, r.rel_id DESC`,
  )
  const productOf = new Map(rows.map((r) => [r.user_id, r.pd_code]))
  return callers.map((caller) => ({ ...caller, productCode: productOf.get(caller.userId) as string }))
}

/** The merchant of every bench product and its API key; returns the key as the Authorization header's value. */
async function addMerchant(c: pg.Client): Promise<string> {
  const key = { keyId: newKeyId(), secret: newKeySecret() }
  await c.query(`INSERT INTO de_merchant (tnt_inst_id, merchant_id, merchant_name, merchant_status) VALUES ($1, $2, '基准商户', $3)`, [TENANT, BENCH_MERCHANT, MerchantStatus.ACTIVE])
  await c.query(`
    INSERT INTO de_merchant_prod (tnt_inst_id, pd_code, merchant_id)
    SELECT $1, 'B' || lpad(n::text, 7, '0'), $2 FROM generate_series(1, ${PRODUCTS}) n`, [TENANT, BENCH_MERCHANT])
  await c.query(`INSERT INTO de_merchant_credential (tnt_inst_id, key_id, merchant_id, secret_hash) VALUES ($1, $2, $3, $4)`, [TENANT, key.keyId, BENCH_MERCHANT, hashKeySecret(key.secret)])
  await c.query(`INSERT INTO de_merchant_return_origin (tnt_inst_id, merchant_id, origin) VALUES ($1, $2, $3)`, [TENANT, BENCH_MERCHANT, SIGN_RETURN_ORIGIN])
  return `Bearer ${key.keyId}.${key.secret}`
}

export type Signer = { userId: string; cookie: string }

/** The signers: users after every other, one live browser session each (as after a login on the web), with its cookie. */
async function addSigners(c: pg.Client, first: number, hash: string): Promise<Signer[]> {
  await insertUsers(c, first, first + SIGN_USERS - 1, hash)
  const sessions = range(first, SIGN_USERS).map((n) => ({ userId: userId(n), id: randomUUID() }))
  await c.query(
    `INSERT INTO de_session (tnt_inst_id, session_id, user_id, live_user_id, channel, device,
                             last_seen_at, idle_expires_at, absolute_expires_at)
     SELECT '${TENANT}', s, u, u, 'web', 'bench', now(), now() + interval '1 day', now() + interval '2 days'
     FROM unnest($1::text[], $2::text[]) AS t(u, s)`,
    [sessions.map((s) => s.userId), sessions.map((s) => s.id)],
  )
  return Promise.all(sessions.map(async (s) => ({ userId: s.userId, cookie: `${sessionCookieName()}=${await sealSessionCookie(s)}` })))
}

/**
 * One pending sign request of the bench merchant per (signer, product), made in bulk,
 * after removing the previous batch and what the signers opened with it, so that each
 * confirm load starts from the same state. Returns them so that consecutive calls go to
 * different signers (`signer`: the index in `signers`). Their links' tokens are derived as the app derives them (the
 * run's AUTH_SECRET), and only the hash stored.
 */
export async function prepareSignRequests(url: string, signers: Signer[]): Promise<SignConfirm[]> {
  const requests = range(1, PRODUCTS).flatMap((p) => signers.map((s, i) => ({ signer: i, productCode: benchProductCode(p), id: newSignRequestId() })))
  const tokens = requests.map((r) => signToken(TENANT, r.id))
  await withClient(url, async (c) => {
    await c.query('SET synchronous_commit = off')
    await c.query(`DELETE FROM de_user_ar_rel WHERE tnt_inst_id = $1 AND user_id = ANY ($2::text[])`, [TENANT, signers.map((s) => s.userId)])
    await c.query(`DELETE FROM de_sign_request WHERE tnt_inst_id = $1 AND merchant_id = $2 AND merchant_reference LIKE 'bench-confirm-%'`, [TENANT, BENCH_MERCHANT])
    await c.query(
      `INSERT INTO de_sign_request (tnt_inst_id, sign_request_id, merchant_id, merchant_reference, pd_code, ar_no, property_values,
                                    return_url, expires_in_seconds, token_hash, status, gmt_create, expire_at)
       SELECT $1, id, $2, 'bench-confirm-' || id, pd, '00000001', $3, $4, 3600, h, 'PENDING', now(), now() + interval '1 hour'
       FROM unnest($5::text[], $6::text[], $7::text[]) AS t(id, pd, h)`,
      [TENANT, BENCH_MERCHANT, valuesJson(SIGN_PROPOSED_VALUES), SIGN_RETURN_URL, requests.map((r) => r.id), requests.map((r) => r.productCode), tokens.map(hashSignToken)],
    )
    await c.query('ANALYZE de_sign_request')
  })
  return requests.map((r, i) => ({ token: tokens[i], signer: r.signer }))
}

/** Open/close users start each phase with nothing open on the product they use. */
export async function resetOpenClose(url: string, callers: Caller[], productCode: string) {
  await withClient(url, (c) =>
    c.query(`DELETE FROM de_user_ar_rel WHERE tnt_inst_id = $1 AND pd_code = $2 AND user_id = ANY ($3::text[])`, [TENANT, productCode, callers.map((x) => x.userId)]),
  )
}

export async function dropDatabase(options: BenchOptions) {
  await withClient(options.adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS "${options.database}" WITH (FORCE)`))
}
