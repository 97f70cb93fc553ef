// Per-call CPU of the typed statements (lib/db/statement.ts) against today's
// positional calls of the same text: the named values laid out in order, then the
// same driver call. In process (`npx tsx bench/statement-cpu.ts`): the driver
// replaced by one that only names the statement (lib/db/statement-names.ts), so the
// figure is the statement layer's own. With DATABASE_URL, also against PostgreSQL
// through a pg pool that prepares by name, as the app's does, one call at a time.
import pg from 'pg'
import type { RunStatement } from '@/lib/db/client'
import { statementNames } from '@/lib/db/statement-names'
import { agreementForMerchant } from '@/lib/db/statements/agreement-for-merchant'
import { openAgreement, type OpenParameters } from '@/lib/db/statements/open-agreement'

const CALLS = 1_000_000
const DB_CALLS = 5_000

const open: OpenParameters = {
  tenantId: 'FC000001',
  arrangementType: 'Deduction',
  // no such product: through the database the statement writes nothing
  productCode: 'NO-SUCH-PRODUCT',
  userId: 'U0000000000000001',
  agreementId: '0193a0b0c0d0e0f0a0b0c0d0e0f0a0b0',
  sessionId: '00000000-0000-0000-0000-000000000001',
  device: 'bench',
  inForce: '2',
  arrangementNo: null,
  checkedProperties: null,
  propertyValues: null,
}
const merchant = { tenantId: 'FC000001', merchantId: 'M9000000000000001', arrangementType: 'Deduction', userId: 'U0000000000000001', productCode: 'B0000001', inForce: '2' }

/** µs of CPU (user + system) per call of `call`, over `n` calls. */
async function cpuPerCall(n: number, call: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < Math.min(n, 10_000); i++) await call()
  const start = process.cpuUsage()
  for (let i = 0; i < n; i++) await call()
  const used = process.cpuUsage(start)
  return (used.user + used.system) / n
}

async function compare(label: string, n: number, db: RunStatement) {
  const rows: Record<string, string> = {}
  const positional = async () => {
    const o = open
    // the order openAgreement.parameters says, written out as the callers did
    await db(openAgreement.text, [o.tenantId, o.arrangementType, o.inForce, o.arrangementNo, o.checkedProperties, o.productCode, o.agreementId, o.userId, o.propertyValues, o.sessionId, o.device])
  }
  const named = () => openAgreement.run(db, open)
  const positionalMerchant = async () => {
    const m = merchant
    await db(agreementForMerchant.text, [m.tenantId, m.productCode, m.merchantId, m.arrangementType, m.userId, m.inForce])
  }
  const namedMerchant = () => agreementForMerchant.run(db, merchant)
  // alternate, so that warming and noise fall on both alike
  const figures = { positional: [] as number[], named: [] as number[], positionalMerchant: [] as number[], namedMerchant: [] as number[] }
  for (let round = 0; round < 3; round++) {
    figures.positional.push(await cpuPerCall(n, positional))
    figures.named.push(await cpuPerCall(n, named))
    figures.positionalMerchant.push(await cpuPerCall(n, positionalMerchant))
    figures.namedMerchant.push(await cpuPerCall(n, namedMerchant))
  }
  const best = (xs: number[]) => Math.min(...xs).toFixed(3)
  rows['open: positional array (today)'] = best(figures.positional)
  rows['open: typed statement, named values'] = best(figures.named)
  rows['merchant query: positional array'] = best(figures.positionalMerchant)
  rows['merchant query: typed statement'] = best(figures.namedMerchant)
  console.log(`\n${label}: CPU µs per call (best of 3 rounds of ${n})`)
  console.table(rows)
}

async function main() {
  // in process: the driver call is the statement naming the app's pool does, and nothing more
  const nameOf = statementNames()
  const noDriver: RunStatement = <T>(sql: string, params: readonly unknown[]) => {
    nameOf(sql)
    void params.length
    return Promise.resolve([] as T[])
  }
  await compare('statement layer alone', CALLS, noDriver)
  const url = process.env.DATABASE_URL
  if (!url) return console.log('\n(set DATABASE_URL to a PostgreSQL database with the app schema to measure through the driver as well)')
  const pool = new pg.Pool({ connectionString: url, max: 1 })
  const names = statementNames()
  // read-only: the merchant statement reads; the open runs inside a transaction rolled back at the end
  const client = await pool.connect()
  await client.query('BEGIN')
  const viaDriver: RunStatement = async <T>(sql: string, params: readonly unknown[]) =>
    (await client.query({ name: names(sql), text: sql, values: [...params] })).rows as T[]
  try {
    await compare('through pg, prepared by name (one connection, one call at a time; process CPU)', DB_CALLS, viaDriver)
  } finally {
    await client.query('ROLLBACK')
    client.release()
    await pool.end()
  }
}

await main()
