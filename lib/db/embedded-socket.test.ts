import { testDatabase } from '@/lib/testing/fresh-database'
// one database is enough: it runs on an embedded database of its own whatever the suite's database
import { spawn, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, test } from 'node:test'
import assert from 'node:assert/strict'
import { tsxCommand } from '@/lib/testing/tsx-command'
import { waitUntil } from '@/lib/testing/wait-until'

// The owner of an embedded database shares it on a Unix socket (lib/db/embedded-socket.ts);
// another process's createDatabase() then goes through it. PGlite is one connection, so
// these tests look for what would go wrong if the two sides' statements interleaved: one
// side seeing the other's uncommitted rows, or a parameterised query answered with
// another's parameters. About the embedded database even when the suite runs on
// PostgreSQL: they then migrate a PGlite directory of their own.
const created: string[] = []
after(() => {
  for (const dir of created) fs.rmSync(dir, { recursive: true, force: true })
})

function migratedDirectory(): string {
  if (testDatabase.kind === 'pglite') return testDatabase.dir
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fc-socket-'))
  created.push(dir)
  const env = { ...process.env, PGLITE_DIR: dir, DATABASE_URL: undefined }
  const deploy = spawnSync(...tsxCommand(['scripts/db.ts', 'deploy']), { env, encoding: 'utf8' })
  assert.equal(deploy.status, 0, `${deploy.stdout}${deploy.stderr}`)
  return dir
}

const dir = migratedDirectory()
delete process.env.DATABASE_URL
process.env.PGLITE_DIR = dir
const { createDatabase } = await import('@/lib/db/client')
const { config } = await import('@/lib/config')

// the other process: echoes parameters, and runs transactions it rolls back, reporting what it saw
const CLIENT = `
const { createDatabase } = await import(${JSON.stringify(path.resolve('lib/db/client.ts'))})
const db = createDatabase()
const report = { echoes: 0, wrongEchoes: 0, sawOwnersRow: 0, rolledBack: 0 }
const rounds = Number(process.env.ROUNDS)
for (let i = 0; i < rounds; i++) {
  const n = 1_000_000 + i
  const [row] = await db.prisma.$queryRaw\`SELECT \${n}::int AS n, \${'client-' + i}::text AS s\`
  report.echoes++
  if (row.n !== n || row.s !== 'client-' + i) report.wrongEchoes++
  report.sawOwnersRow += await db.prisma.product.count({ where: { code: 'OWNER001' } })
  await db.prisma.$transaction(async (tx) => {
    await tx.product.create({ data: { tenantId: process.env.TENANT, code: 'CLIENT01', name: 'uncommitted', description: '-', orgName: '-' } })
    throw new Error('roll back')
  }).catch((e) => { if (e.message === 'roll back') report.rolledBack++; else throw e })
}
console.log(JSON.stringify(report))
await db.close()
process.exit(0)
`

/** Runs a script in another process without blocking this one, which serves the socket it uses. */
function runScript(script: string, extraEnv: Record<string, string> = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env, PGLITE_DIR: dir, TENANT: config().FC_TENANT_ID, ...extraEnv }
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { env, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.on('error', reject)
    child.on('close', (status) => resolve({ status, stdout, stderr }))
  })
}

test('a second process works through the owner’s socket, and neither side ever sees inside the other’s transaction', async () => {
  const owner = createDatabase({ shareEmbedded: true })
  try {
    await owner.prisma.product.count() // opens, and starts serving
    const lock = JSON.parse(fs.readFileSync(path.join(dir, 'fcdeduction.lock'), 'utf8')) as { pid: number; socket?: string }
    assert.equal(lock.pid, process.pid)
    assert.equal(lock.socket, path.join(dir, '.s.PGSQL.5432'))
    assert.equal(fs.statSync(lock.socket).mode & 0o777, 0o600)

    const client = runScript(CLIENT, { ROUNDS: '30' })
    const owners = { echoes: 0, wrongEchoes: 0, sawClientsRow: 0, rolledBack: 0 }
    let done = false
    void client.finally(() => (done = true))
    for (let i = 0; !done; i++) {
      const [row] = await owner.prisma.$queryRaw<{ n: number; s: string }[]>`SELECT ${i}::int AS n, ${`owner-${i}`}::text AS s`
      owners.echoes++
      if (row.n !== i || row.s !== `owner-${i}`) owners.wrongEchoes++
      owners.sawClientsRow += await owner.prisma.product.count({ where: { code: 'CLIENT01' } })
      await owner.prisma
        .$transaction(async (tx) => {
          await tx.product.create({ data: { tenantId: config().FC_TENANT_ID, code: 'OWNER001', name: 'uncommitted', description: '-', orgName: '-' } })
          // give the client's statements every chance to land inside this transaction
          await new Promise((resolve) => setImmediate(resolve))
          await tx.product.count()
          throw new Error('roll back')
        })
        .catch((error: Error) => {
          if (error.message !== 'roll back') throw error
          owners.rolledBack++
        })
    }
    const result = await client
    assert.equal(result.status, 0, `${result.stdout}${result.stderr}`)
    const clients = JSON.parse(result.stdout) as { echoes: number; wrongEchoes: number; sawOwnersRow: number; rolledBack: number }
    assert.deepEqual(clients, { echoes: 30, wrongEchoes: 0, sawOwnersRow: 0, rolledBack: 30 })
    assert.ok(owners.echoes > 0)
    assert.deepEqual({ wrongEchoes: owners.wrongEchoes, sawClientsRow: owners.sawClientsRow }, { wrongEchoes: 0, sawClientsRow: 0 })
    assert.equal(await owner.prisma.product.count({ where: { code: { in: ['OWNER001', 'CLIENT01'] } } }), 0)

    // what the client commits, the owner reads
    // (spawned without blocking: this process serves the socket the child uses)
    const write = await runScript(`
      const { createDatabase } = await import(${JSON.stringify(path.resolve('lib/db/client.ts'))})
      const db = createDatabase()
      await db.prisma.product.create({ data: { tenantId: process.env.TENANT, code: 'CLIENT02', name: 'committed', description: '-', orgName: '-' } })
      await db.close()
      process.exit(0)`)
    assert.equal(write.status, 0, `${write.stdout}${write.stderr}`)
    assert.equal((await owner.prisma.product.findFirstOrThrow({ where: { code: 'CLIENT02' } })).name, 'committed')
  } finally {
    await owner.close()
  }
  assert.equal(fs.existsSync(path.join(dir, '.s.PGSQL.5432')), false, 'closing removes the socket')
  assert.equal(fs.existsSync(path.join(dir, 'fcdeduction.lock')), false, 'and frees the folder')
})

test('a client that leaves in the middle of a transaction has it rolled back, and the owner goes on', async () => {
  const owner = createDatabase({ shareEmbedded: true })
  try {
    await owner.prisma.product.count()
    const socket = path.join(dir, '.s.PGSQL.5432')
    // a raw pg client: BEGIN, insert, then the process exits without COMMIT
    const script = `
      const { default: pg } = await import('pg')
      const client = new pg.Client({ host: ${JSON.stringify(dir)}, port: 5432, user: 'postgres', database: 'postgres' })
      await client.connect()
      await client.query('BEGIN')
      await client.query("INSERT INTO de_prod (tnt_inst_id, pd_code, pd_name, pd_desc, pd_org_name) VALUES ($1, 'LEFT0001', 'left', '-', '-')", [process.env.TENANT])
      process.exit(0)`
    assert.ok(fs.existsSync(socket))
    const left = await runScript(script)
    assert.equal(left.status, 0, `${left.stdout}${left.stderr}`)
    // the owner's next statements run once the server has rolled the orphan back: never inside it
    assert.equal(await owner.prisma.product.count({ where: { code: 'LEFT0001' } }), 0)
    await owner.prisma.product.create({ data: { tenantId: config().FC_TENANT_ID, code: 'AFTER001', name: 'after', description: '-', orgName: '-' } })
    assert.equal(await owner.prisma.product.count({ where: { code: { in: ['LEFT0001', 'AFTER001'] } } }), 1)
  } finally {
    await owner.close()
  }
})

test('a NOTIFY a socket client commits reaches the owner’s LISTEN, as its own does', async () => {
  const owner = createDatabase({ shareEmbedded: true })
  try {
    const db = await owner.embedded!()
    assert.ok(db)
    const heard: string[] = []
    const unlisten = await db.listen('fc_socket_test', (payload) => heard.push(payload))
    await owner.prisma.$executeRaw`SELECT pg_notify('fc_socket_test', 'from the owner')`
    // as the session-ended trigger does: at the commit of the client's transaction
    const script = `
      const { default: pg } = await import('pg')
      const client = new pg.Client({ host: ${JSON.stringify(dir)}, port: 5432, user: 'postgres', database: 'postgres' })
      await client.connect()
      await client.query('BEGIN')
      await client.query("SELECT pg_notify('fc_socket_test', 'from a client')")
      await client.query('COMMIT')
      await client.query("NOTIFY fc_socket_test, 'outside a transaction'")
      await client.end()`
    const client = await runScript(script)
    assert.equal(client.status, 0, `${client.stdout}${client.stderr}`)
    await waitUntil(() => heard.length >= 3, 10_000, () => `the owner heard only ${JSON.stringify(heard)}`)
    assert.deepEqual(heard, ['from the owner', 'from a client', 'outside a transaction'])
    await unlisten()
  } finally {
    await owner.close()
  }
})
