// Plans of the hot statements on the full dataset, with the values a real call
// binds: EXPLAIN ANALYZE (writes inside a transaction that is rolled back).
// A statement passes when no table that grows with use is read by a sequential
// scan (de_ar, de_merchant and de_merchant_credential, a handful of rows each, may
// be) and no scan throws away more than a thousand rows to find its answer: an index
// used for its order but not for its selection reads the table in the end.
import { createHash, randomUUID } from 'node:crypto'
import pg from 'pg'
import { v7 as uuidv7 } from 'uuid'
import type { Dataset } from './dataset'
import { BENCH_MERCHANT, TENANT, userId } from './dataset'
import { ARRANGEMENT_TYPE } from './load-spec'
import { reserveLogin } from '@/lib/db/statements/reserve-login'
import { startLoginSession, type StartSessionParameters } from '@/lib/db/statements/start-login-session'
import type { Parameters, Statement } from '@/lib/db/statement'
import { agreementDetail } from '@/lib/db/statements/agreement-detail'
import { agreementForMerchant } from '@/lib/db/statements/agreement-for-merchant'
import { catalogueProducts } from '@/lib/db/statements/catalogue-products'
import { closeAgreement } from '@/lib/db/statements/close-agreement'
import { listFirstPage, listLaterPage } from '@/lib/db/statements/list-agreements'
import { merchantKey } from '@/lib/db/statements/merchant-key'
import { openAgreement, type OpenParameters } from '@/lib/db/statements/open-agreement'
import { sessionByToken } from '@/lib/db/statements/session-by-token'
import { decodePageToken } from '@/lib/agreements/page-token'

export type Plan = { name: string; app: boolean; ms: number; seqScans: string[]; rowsDiscarded: number; usesIndexes: boolean; plan: string }

// a handful of rows each: the arrangements, and the merchants with their keys
const SMALL_TABLES = new Set(['de_ar', 'de_merchant', 'de_merchant_credential'])
const MAX_DISCARDED = 1000
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex')
/** A statement of the app with its values, as EXPLAIN runs it. */
const bound = <P extends Parameters>(statement: Statement<P, unknown>, params: P) => ({ sql: statement.text, params: statement.values(params) })

export async function explainHotQueries(data: Dataset, productCode: string): Promise<Plan[]> {
  const client = new pg.Client({ connectionString: data.url })
  await client.connect()
  const list = data.listCallers[0]
  const deep = data.deepCallers[0]
  const oc = data.openCloseCallers[0]
  const after = decodePageToken({ tenantId: TENANT, userId: deep.userId, arrangementType: ARRANGEMENT_TYPE }, deep.pageToken)
  if (after === undefined) throw new Error("the deep page's token does not open under this run's AUTH_SECRET")
  const IN_FORCE = '2'
  const login = data.logins[0]
  const terms = data.termsCallers[0]
  const merchantKeyId = /^Bearer (\S+)\./.exec(data.merchantAuthorization)?.[1]
  const loginUser = userId(Number(/^bench(\d+)@/.exec(login.loginKey)?.[1]))
  const now = Date.now()
  const at = (ms: number) => new Date(now + ms)
  // a login's second statement, as a login that holds no slots (the window ends are NULL) sends it
  const startSession: StartSessionParameters = {
    tenantId: TENANT,
    accountKey: sha256(login.loginKey),
    accountWindowEndsMs: null,
    address: '127.0.0.1',
    addressWindowEndsMs: null,
    failed: 0,
    userId: loginUser,
    sessionId: randomUUID(),
    channel: 'api',
    device: 'bench',
    ipAddress: '127.0.0.1',
    tokenHash: sha256('explain-token'),
    tokenExpiresAt: at(900_000),
    now: at(0),
    idleExpiresAt: at(1_800_000),
    absoluteExpiresAt: at(43_200_000),
    refreshTokenHash: sha256('explain-refresh'),
    refreshExpiresAt: at(2_592_000_000),
    activeStatus: '1',
    recordAttempt: true,
  }
  const reserve = { tenantId: TENANT, accountKey: sha256(login.loginKey), address: '127.0.0.1', windowSeconds: 900, accountLimit: 5, addressLimit: 50, loginKey: login.loginKey }
  const page = { tenantId: TENANT, arrangementType: ARRANGEMENT_TYPE, limit: 21 }
  const target = { tenantId: TENANT, arrangementType: ARRANGEMENT_TYPE, productCode }
  const open = (): OpenParameters => ({
    ...target,
    userId: oc.userId,
    agreementId: uuidv7().replaceAll('-', ''),
    sessionId: 'explain',
    device: 'bench',
    inForce: IN_FORCE,
    arrangementNo: null,
    checkedProperties: null,
    propertyValues: null,
  })
  const agreement = { tenantId: TENANT, arrangementType: ARRANGEMENT_TYPE, userId: terms.userId, productCode: terms.productCode, inForce: IN_FORCE }
  const statements: { name: string; sql: string; params: unknown[]; setup?: { sql: string; params: unknown[] } }[] = [
    { name: 'session check (by token hash)', ...bound(sessionByToken, { tokenHash: sha256(list.token) }) },
    { name: 'list, first page', ...bound(listFirstPage, { ...page, userId: list.userId }) },
    { name: 'list, first page (1,000-relation user)', ...bound(listFirstPage, { ...page, userId: deep.userId }) },
    { name: 'list, page 41 of 50 (keyset)', ...bound(listLaterPage, { ...page, userId: deep.userId, afterAgreementId: after }) },
    { name: 'open', ...bound(openAgreement, open()) },
    {
      name: 'close',
      ...bound(closeAgreement, { ...target, userId: oc.userId, actorType: 'USER', actorId: null, sessionId: 'explain', device: 'bench', reason: null }),
      setup: bound(openAgreement, open()),
    },
    { name: 'catalogue: products, the opened ones marked', ...bound(catalogueProducts, { tenantId: TENANT, arrangementType: ARRANGEMENT_TYPE, inForce: IN_FORCE, userId: terms.userId, size: 500 }) },
    { name: 'detail: the agreement and its history', ...bound(agreementDetail, { ...agreement, historySize: 200 }) },
    { name: 'merchant key (by key id)', ...bound(merchantKey, { tenantId: TENANT, keyId: merchantKeyId ?? '', activeStatus: '1' }) },
    { name: "merchant query: the product's merchant and the agreement", ...bound(agreementForMerchant, { ...agreement, merchantId: BENCH_MERCHANT }) },
    { name: 'login: take the throttling slots, read the credential', ...bound(reserveLogin, reserve) },
    { name: 'login: end the previous session, start the new one', ...bound(startLoginSession, startSession) },
  ]
  const plans: Plan[] = []
  try {
    for (const s of statements) {
      await client.query('BEGIN')
      try {
        if (s.setup) await client.query(s.setup.sql, s.setup.params)
        const { rows } = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${s.sql}`, s.params)
        const plan = rows.map((r) => r['QUERY PLAN']).join('\n')
        const seqScans = [...plan.matchAll(/Seq Scan on (\w+)/g)].map((m) => m[1])
        const ms = Number(/Execution Time: ([\d.]+) ms/.exec(plan)?.[1] ?? NaN)
        const rowsDiscarded = Math.max(0, ...[...plan.matchAll(/Rows Removed by Filter: (\d+)/g)].map((m) => Number(m[1])))
        const usesIndexes = seqScans.every((t) => SMALL_TABLES.has(t)) && rowsDiscarded <= MAX_DISCARDED
        plans.push({ name: s.name, app: !s.name.includes('floor'), ms, seqScans, rowsDiscarded, usesIndexes, plan })
      } finally {
        await client.query('ROLLBACK')
      }
    }
  } finally {
    await client.end()
  }
  return plans
}
