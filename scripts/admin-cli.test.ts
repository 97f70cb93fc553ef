import '@/lib/testing/fresh-database'
import { randomUUID } from 'node:crypto'
import { spawn } from 'node:child_process'
import path from 'node:path'
import { after, test } from 'node:test'
import assert from 'node:assert/strict'
import { config } from '@/lib/config'
import { closeDatabase, prisma } from '@/lib/db'
import { tsxCommand } from '@/lib/testing/tsx-command'

// Runs the real `npm run admin` CLI against this file's fresh database. With the
// embedded database only one process may have it open, so this process touches
// the database only between CLI runs and closes it before the next ones.
after(closeDatabase)

const SECRETS = ['ivy-secret-password', 'jay-secret-password', 'tiny-pw', 'argv-secret-password', 'positional-secret']

type Run = { status: number | null; stdout: string; stderr: string; output: string }

/** Runs the CLI; fails the test if any password shows up in what it printed. */
function cli(args: string[], stdin = ''): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(...tsxCommand(['scripts/admin.ts', ...args]), { env: process.env })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.on('error', reject)
    child.on('close', (status) => {
      for (const secret of SECRETS) {
        assert.ok(!stdout.includes(secret) && !stderr.includes(secret), `"${secret}" appeared in the output of ${args.join(' ')}`)
      }
      resolve({ status, stdout, stderr, output: `${stdout}${stderr}` })
    })
    // a CLI that stops at a bad argument never reads its input
    child.stdin.on('error', () => {})
    child.stdin.end(stdin)
  })
}

async function expectUsageError(args: string[], message: RegExp, stdin = '') {
  const r = await cli(args, stdin)
  assert.equal(r.status, 2, r.output)
  assert.match(r.stderr, message)
  assert.match(r.stderr, /Usage: npm run admin -- /)
  assert.equal(r.stdout, '')
}

let ivyId = ''

test('user:create reads the password from stdin and creates the user', async () => {
  const r = await cli(['user:create', '--email', 'Ivy@Example.com', '--name', 'Ivy'], 'ivy-secret-password\n')
  assert.equal(r.status, 0, r.output)
  const id = /Created user (U\d{16})/.exec(r.stdout)?.[1]
  assert.ok(id, r.stdout)
  ivyId = id
  assert.match(r.stdout, /e-mail\s+ivy@example\.com/)
  assert.match(r.stdout, /type\s+PERSONAL/)

  const jay = await cli(['user:create', '--email', 'jay@example.com', '--name', 'Jay', '--type', 'PERSONAL'], 'jay-secret-password\r\nignored\n')
  assert.equal(jay.status, 0, jay.output)

  const again = await cli(['user:create', '--email', 'ivy@example.com', '--name', 'Ivy'], 'ivy-secret-password\n')
  assert.equal(again.status, 1, again.output)
  assert.match(again.stderr, /a user with e-mail ivy@example.com already exists/)
})

test('bad arguments exit 2 with a message and the usage, never echoing a password', async () => {
  // none of these opens the database, so they may run side by side even on PGlite
  await Promise.all([
    expectUsageError(['user:create', '--email', 'kim@example.com', '--name', 'Kim'], /password: must be at least 8 characters/, 'tiny-pw\n'),
    expectUsageError(['user:create', '--email', 'kim@example.com', '--name', 'Kim'], /no password on standard input/),
    expectUsageError(['user:create', '--email', 'kim@example.com', '--name', 'Kim', '--password=argv-secret-password'], /unknown option --password/),
    expectUsageError(['user:create', '--email', 'kim@example.com', '--name', 'Kim', 'positional-secret'], /unexpected argument/),
    expectUsageError(['user:create', '--email', 'not-an-email', '--name', 'Kim'], /email: must be an e-mail address/, 'ivy-secret-password\n'),
    expectUsageError(['user:create', '--name', 'Kim'], /missing --email/),
    expectUsageError(['user:disable'], /give either --email or --user-id/),
    expectUsageError(['product:add', '--code', 'P1', '--name', 'n', '--desc', 'd'], /missing --org/),
    expectUsageError(['arrangement:add', '--number', 'A1', '--name', 'n', '--version', '1', '--type', 'Free', '--status', '7'], /status: must be 1/),
    expectUsageError(['session:revoke', '--id'], /argument missing/),
    expectUsageError(['frobnicate'], /unknown command "frobnicate"/),
    expectUsageError([], /Commands:/),
  ])

  const help = await cli(['--help'])
  assert.equal(help.status, 0)
  assert.match(help.stdout, /user:create --email/)
})

const TERMS = '{"version":1,"properties":[{"key":"account","label":{"zh":"开通账号","en":"Account"},"type":"text"}]}'

test('product:add and arrangement:add add rows; duplicates exit 1', async () => {
  const product = ['product:add', '--code', '00000003', '--name', '测试免密支付', '--desc', '测试描述', '--org', '测试机构']
  const added = await cli(product)
  assert.equal(added.status, 0, added.output)
  assert.match(added.stdout, /Added product 00000003/)
  const duplicate = await cli(product)
  assert.equal(duplicate.status, 1, duplicate.output)
  assert.match(duplicate.stderr, /product 00000003 already exists/)

  const arrangement = await cli([
    'arrangement:add', '--number', '00000009', '--name', '免费合约', '--version', '20240101', '--type', 'Free',
    '--properties', TERMS,
  ])
  assert.equal(arrangement.status, 0, arrangement.output)
  assert.match(arrangement.stdout, /status\s+2 \(in force\)/)
  // definitions the app could not read are refused, each problem named, and nothing is added
  const legacy = await cli(['arrangement:add', '--number', '00000010', '--name', 'x', '--version', '1', '--type', 'Free2', '--properties', '{"properties":["开通账号"]}'])
  assert.equal(legacy.status, 2, legacy.output)
  assert.match(legacy.stderr, /properties: version must be 1/)
})

test('session:list and session:revoke answer for unknown users and sessions', async () => {
  const none = await cli(['session:list', '--email', 'ivy@example.com'])
  assert.equal(none.status, 0, none.output)
  assert.match(none.stdout, /Sessions of ivy@example.com .*\n\s+\(none\)/)
  const unknownUser = await cli(['session:list', '--email', 'nobody@example.com'])
  assert.equal(unknownUser.status, 1, unknownUser.output)
  assert.match(unknownUser.stderr, /no user with e-mail nobody@example.com/)
  const unknownSession = await cli(['session:revoke', '--id', randomUUID()])
  assert.equal(unknownSession.status, 1, unknownSession.output)
  assert.match(unknownSession.stderr, /no session with id/)
})

test('a command that opens the database names it on standard error, its password left out', async () => {
  const r = await cli(['session:list', '--email', 'ivy@example.com'])
  assert.equal(r.status, 0, r.output)
  const url = config().DATABASE_URL
  if (url) {
    const shown = new URL(url)
    shown.password = ''
    shown.search = ''
    assert.equal(r.stderr, `database: PostgreSQL ${shown.toString()}\n`)
    const password = new URL(url).password
    if (password) assert.ok(!r.output.includes(`:${password}@`), r.output)
  } else {
    assert.equal(r.stderr, `database: the embedded database in ${path.resolve(config().PGLITE_DIR)} (opened by this command: no app is running on it)\n`)
  }
  assert.doesNotMatch(r.stdout, /database:/)
  // a command refused for its arguments opens nothing and names nothing
  const bad = await cli(['session:list'])
  assert.equal(bad.status, 2, bad.output)
  assert.doesNotMatch(bad.stderr, /database:/)
})

const tenantId = () => config().FC_TENANT_ID
const live = { ivy: randomUUID(), jay: randomUUID() }
const ended = randomUUID()

test('the CLI wrote what it said (checked in this process)', async () => {
  const credential = await prisma.credential.findUniqueOrThrow({
    where: { tenantId_loginKey: { tenantId: tenantId(), loginKey: 'ivy@example.com' } },
  })
  assert.equal(credential.userId, ivyId)
  assert.match(credential.passwordHash, /^\$argon2id\$v=19\$m=(\d+)/)
  assert.ok(Number(/m=(\d+)/.exec(credential.passwordHash)?.[1]) >= 19_456)
  const product = await prisma.product.findUniqueOrThrow({ where: { tenantId_code: { tenantId: tenantId(), code: '00000003' } } })
  assert.equal(product.orgName, '测试机构')
  const arrangement = await prisma.arrangement.findUniqueOrThrow({
    where: { tenantId_number: { tenantId: tenantId(), number: '00000009' } },
  })
  assert.deepEqual([arrangement.type, arrangement.status, arrangement.properties], ['Free', '2', TERMS])
  assert.equal(await prisma.arrangement.count({ where: { number: '00000010' } }), 0)

  const jay = await prisma.credential.findUniqueOrThrow({ where: { tenantId_loginKey: { tenantId: tenantId(), loginKey: 'jay@example.com' } } })
  const expires = new Date(Date.now() + 3600_000)
  const session = (id: string, userId: string, minutesAgo: number, isLive: boolean) => ({
    tenantId: tenantId(),
    id,
    userId,
    liveUserId: isLive ? userId : null,
    channel: isLive ? 'web' : 'api',
    device: isLive ? 'Chrome on macOS' : 'okhttp on Android',
    createdAt: new Date(Date.now() - minutesAgo * 60_000),
    idleExpiresAt: expires,
    absoluteExpiresAt: expires,
    status: isLive ? 'ACTIVE' : 'REPLACED',
    endReason: isLive ? null : 'NEW_LOGIN',
  })
  await prisma.session.createMany({
    data: [session(ended, ivyId, 10, false), session(live.ivy, ivyId, 1, true), session(live.jay, jay.userId, 1, true)],
  })
  await closeDatabase()
})

test('session:list shows sessions newest first; session:revoke and user:disable end them', async () => {
  const listed = await cli(['session:list', '--email', 'ivy@example.com'])
  assert.equal(listed.status, 0, listed.output)
  const lines = listed.stdout.trim().split('\n')
  assert.match(lines[1], /^id\s+channel\s+device\s+created\s+last seen\s+status\s+end reason$/)
  assert.ok(lines[2].startsWith(live.ivy) && lines[2].includes('Chrome on macOS') && lines[2].includes('ACTIVE'), lines[2])
  assert.ok(lines[3].startsWith(ended) && lines[3].includes('REPLACED') && lines[3].includes('NEW_LOGIN'), lines[3])

  const revoked = await cli(['session:revoke', '--id', live.ivy])
  assert.equal(revoked.status, 0, revoked.output)
  assert.match(revoked.stdout, new RegExp(`Revoked session ${live.ivy} of user ${ivyId}`))
  const again = await cli(['session:revoke', '--id', live.ivy])
  assert.equal(again.status, 0, again.output)
  assert.match(again.stdout, /had already ended \(REVOKED, ADMIN, /)

  const disabled = await cli(['user:disable', '--email', 'jay@example.com'])
  assert.equal(disabled.status, 0, disabled.output)
  assert.match(disabled.stdout, /Disabled user jay@example.com \(U\d{16}\); its live session was revoked/)
  const byId = await cli(['session:list', '--user-id', ivyId])
  assert.equal(byId.status, 0, byId.output)
  assert.match(byId.stdout, /REVOKED\s+ADMIN/)
})

test('the sessions and the user ended in the database', async () => {
  const rows = await prisma.session.findMany({ where: { tenantId: tenantId(), id: { in: [live.ivy, live.jay] } } })
  assert.equal(rows.length, 2)
  for (const row of rows) {
    assert.deepEqual([row.status, row.endReason, row.liveUserId], ['REVOKED', 'ADMIN', null])
    assert.ok(row.endedAt)
  }
  const jay = await prisma.user.findFirstOrThrow({ where: { tenantId: tenantId(), name: 'Jay' } })
  assert.equal(jay.status, '2')
  const ivy = await prisma.user.findUniqueOrThrow({ where: { tenantId_id: { tenantId: tenantId(), id: ivyId } } })
  assert.equal(ivy.status, '1')
})
