// `npm run admin -- <command> [--flags]`: administration from the command line
// (docs/product.md#administration). Exit codes: 0 done, 1 refused (not found, duplicate, database),
// 2 bad arguments. A password is never taken from the command line, where other
// users of the machine and the shell history would see it.
import readline from 'node:readline/promises'
import { Writable } from 'node:stream'
import { parseArgs } from 'node:util'
import { AdminError } from '@/lib/admin/errors'
import { textTable } from '@/lib/admin/text-table'
import { USER_STATUS_LABELS } from '@/lib/statuses'

// The database and the domain are imported only when a command runs: loading
// them costs over a second, which `--help` and a mistyped flag need not pay.
let db: typeof import('@/lib/db') | undefined
const database = async () => (db ??= await openDatabase()).prisma

/**
 * The database layer, after saying on standard error which database the command acts on:
 * without DATABASE_URL it is the embedded folder, and a command run from a shell that lacks
 * the app's DATABASE_URL would otherwise write there without a word. Standard output stays
 * the command's own, for scripts that read it.
 */
async function openDatabase(): Promise<typeof import('@/lib/db')> {
  const layer = await import('@/lib/db')
  const { describeDatabase } = await import('@/lib/db/database-mark')
  const { config } = await import('@/lib/config')
  let how = ''
  if (!config().DATABASE_URL) {
    // opening it tells whether the running app shares it; a refusal is the command's to report
    how = await layer.embeddedDatabase().then(
      (own) => (own ? ' (opened by this command: no app is running on it)' : " (through the running app's socket)"),
      () => '',
    )
  }
  process.stderr.write(`database: ${describeDatabase()}${how}\n`)
  return layer
}

class UsageError extends Error {}

type Flags = Record<string, string | undefined>

type Command = {
  usage: string
  flags: readonly string[]
  /** flags that take no value (present or not) */
  switches?: readonly string[]
  required: readonly string[]
  run: (flags: Flags) => Promise<string>
}


const time = (d: Date | null) => (d ? `${d.toISOString().slice(0, 19).replace('T', ' ')}Z` : '-')

/** Pairs of label and value, aligned. */
const fields = (pairs: [string, string][]) => textTable(['', ''], pairs).split('\n').slice(1).map((l) => `  ${l}`).join('\n')

/** A flag that parseFlags has already checked is present. */
function need(flags: Flags, name: string): string {
  const value = flags[name]
  if (value === undefined) throw new UsageError(`missing --${name}`)
  return value
}

/** `--email` or `--user-id`, exactly one. */
function userRef(flags: Flags): { email?: string; userId?: string } {
  if ((flags.email === undefined) === (flags['user-id'] === undefined)) {
    throw new UsageError('give either --email or --user-id')
  }
  return flags.email !== undefined ? { email: flags.email } : { userId: flags['user-id'] }
}

const commands: Record<string, Command> = {
  'user:create': {
    usage: 'user:create --email <e-mail> --name <name> [--type PERSONAL]   (password on standard input)',
    flags: ['email', 'name', 'type'],
    required: ['email', 'name'],
    run: async (flags) => {
      const password = await readPassword()
      const { createUser } = await import('@/lib/admin/create-user')
      const user = await createUser(await database(), { email: need(flags, 'email'), name: need(flags, 'name'), type: flags.type, password })
      return `Created user ${user.id}\n${fields([
        ['e-mail', user.email],
        ['name', user.name],
        ['type', user.type],
        ['status', `${user.status} (${USER_STATUS_LABELS[user.status] ?? 'unknown'})`],
      ])}`
    },
  },
  'user:disable': {
    usage: 'user:disable --email <e-mail> | --user-id <id>',
    flags: ['email', 'user-id'],
    required: [],
    run: async (flags) => {
      const ref = userRef(flags)
      const { disableUser } = await import('@/lib/admin/disable-user')
      const { user, alreadyDisabled, sessionsEnded } = await disableUser(await database(), ref)
      const who = `${user.email ?? user.id} (${user.id})`
      const ended = sessionsEnded === 1 ? 'its live session was revoked' : 'it had no live session'
      return alreadyDisabled ? `User ${who} was already disabled; ${ended}.` : `Disabled user ${who}; ${ended}.`
    },
  },
  'product:add': {
    usage: 'product:add --code <code> --name <name> --desc <description> --org <organisation> [--memo <text>]',
    flags: ['code', 'name', 'desc', 'org', 'memo'],
    required: ['code', 'name', 'desc', 'org'],
    run: async (flags) => {
      const { addProduct } = await import('@/lib/admin/add-product')
      const product = await addProduct(await database(), {
        code: need(flags, 'code'),
        name: need(flags, 'name'),
        description: need(flags, 'desc'),
        orgName: need(flags, 'org'),
        memo: flags.memo,
      })
      return `Added product ${product.code}\n${fields([
        ['name', product.name],
        ['organisation', product.orgName],
        ['description', product.description],
      ])}`
    },
  },
  'arrangement:add': {
    usage:
      'arrangement:add --number <no> --name <name> --version <version> --type <type> [--status 1-5 (default 2)] [--properties <json>] [--memo <text>]',
    flags: ['number', 'name', 'version', 'type', 'status', 'properties', 'memo'],
    required: ['number', 'name', 'version', 'type'],
    run: async (flags) => {
      const { addArrangement, ARRANGEMENT_STATUSES } = await import('@/lib/admin/add-arrangement')
      const arrangement = await addArrangement(await database(), {
        number: need(flags, 'number'),
        name: need(flags, 'name'),
        version: need(flags, 'version'),
        type: need(flags, 'type'),
        status: flags.status,
        properties: flags.properties,
        memo: flags.memo,
      })
      return `Added arrangement ${arrangement.number}\n${fields([
        ['name', arrangement.name],
        ['version', arrangement.version],
        ['type', arrangement.type],
        ['status', `${arrangement.status} (${ARRANGEMENT_STATUSES[arrangement.status]})`],
        ['properties', arrangement.properties ?? '-'],
      ])}`
    },
  },
  'session:list': {
    usage: 'session:list --email <e-mail> | --user-id <id>',
    flags: ['email', 'user-id'],
    required: [],
    run: async (flags) => {
      const ref = userRef(flags)
      const { listSessions } = await import('@/lib/admin/list-sessions')
      const { user, sessions } = await listSessions(await database(), ref)
      const title = `Sessions of ${user.email ?? user.id} (${user.id}), newest first:`
      if (sessions.length === 0) return `${title}\n  (none)`
      const rows = sessions.map((s) => [
        s.id,
        s.channel,
        s.device,
        time(s.createdAt),
        time(s.lastSeenAt),
        s.status === 'ACTIVE' && !s.live ? 'ACTIVE (timed out)' : s.status,
        s.endReason ?? '-',
      ])
      return `${title}\n${textTable(['id', 'channel', 'device', 'created', 'last seen', 'status', 'end reason'], rows)}`
    },
  },
  'session:revoke': {
    usage: 'session:revoke --id <session id>',
    flags: ['id'],
    required: ['id'],
    run: async (flags) => {
      const { revokeSession } = await import('@/lib/admin/revoke-session')
      const result = await revokeSession(await database(), { id: need(flags, 'id') })
      if (result.revoked) return `Revoked session ${result.id} of user ${result.userId}.`
      return `Session ${result.id} of user ${result.userId} had already ended (${result.status}, ${result.endReason ?? '-'}, ${time(result.endedAt)}); nothing changed.`
    },
  },
  'retention:run': {
    usage: 'retention:run   (the hourly clean-up, once: what is past RETENTION_DAYS and what has expired)',
    flags: [],
    required: [],
    run: async () => {
      await database() // opened here so that the end of the command closes it
      const { runRetention } = await import('@/lib/agreements/retention')
      const run = await runRetention()
      if (run.skipped) return 'Another instance is running the clean-up; nothing done.'
      const rows = Object.entries(run.removed).map(([table, count]) => [table, String(count)])
      const total = Object.values(run.removed).reduce((a, b) => a + b, 0)
      return `Removed ${total} rows in ${run.ms} ms (retention cutoff ${time(run.cutoff)}):\n${textTable(['kind', 'removed'], rows)}`
    },
  },
  'merchant:add': {
    usage: 'merchant:add --name <organisation> --products <code>[,<code>…]',
    flags: ['name', 'products'],
    required: ['name', 'products'],
    run: async (flags) => {
      const { addMerchant } = await import('@/lib/admin/merchants')
      const products = need(flags, 'products').split(',').map((p) => p.trim()).filter(Boolean)
      const merchant = await addMerchant(await database(), { name: need(flags, 'name'), products })
      return `Added merchant ${merchant.id}\n${fields([
        ['name', merchant.name],
        ['products', merchant.products.join(', ')],
      ])}`
    },
  },
  'merchant:list': {
    usage: 'merchant:list',
    flags: [],
    required: [],
    run: async () => {
      const { listMerchants } = await import('@/lib/admin/merchants')
      const merchants = await listMerchants(await database())
      if (merchants.length === 0) return 'No merchants.'
      const now = new Date()
      const keyState = (k: { revokedAt: Date | null; expiresAt: Date | null }) =>
        k.revokedAt ? 'revoked' : k.expiresAt && k.expiresAt <= now ? 'expired' : k.expiresAt ? `until ${time(k.expiresAt)}` : 'active'
      const rows = merchants.map((m) => [m.id, m.name, m.products.join(','), m.keys.map((k) => `${k.keyId} (${keyState(k)})`).join(' ') || '-'])
      return textTable(['id', 'name', 'products', 'keys'], rows)
    },
  },
  'merchant:key:create': {
    usage: 'merchant:key:create --merchant <merchant id>   (prints the key id and its secret, once)',
    flags: ['merchant'],
    required: ['merchant'],
    run: async (flags) => {
      const { createMerchantKey } = await import('@/lib/admin/merchants')
      const key = await createMerchantKey(await database(), { merchantId: need(flags, 'merchant') })
      return `Created key ${key.keyId} for merchant ${key.merchantId}. The secret is shown this once:\n${fields([
        ['key id', key.keyId],
        ['secret', key.secret],
        ['authorization', `Bearer ${key.keyId}.${key.secret}`],
      ])}`
    },
  },
  'merchant:key:rotate': {
    usage: 'merchant:key:rotate --key <key id> [--overlap-hours 24]   (a new key; the old one works until the overlap ends)',
    flags: ['key', 'overlap-hours'],
    required: ['key'],
    run: async (flags) => {
      const { rotateMerchantKey } = await import('@/lib/admin/merchants')
      const key = await rotateMerchantKey(await database(), { keyId: need(flags, 'key'), overlapHours: flags['overlap-hours'] })
      return `Created key ${key.keyId} for merchant ${key.merchantId}; ${key.oldKeyId} works until ${time(key.oldExpiresAt)}. The secret is shown this once:\n${fields([
        ['key id', key.keyId],
        ['secret', key.secret],
        ['authorization', `Bearer ${key.keyId}.${key.secret}`],
      ])}`
    },
  },
  'merchant:key:revoke': {
    usage: 'merchant:key:revoke --key <key id>',
    flags: ['key'],
    required: ['key'],
    run: async (flags) => {
      const { revokeMerchantKey } = await import('@/lib/admin/merchants')
      const result = await revokeMerchantKey(await database(), { keyId: need(flags, 'key') })
      return result.alreadyRevoked ? `Key ${result.keyId} was already revoked.` : `Revoked key ${result.keyId} of merchant ${result.merchantId}.`
    },
  },
  'agreement:close': {
    usage: 'agreement:close --user-id <id> --product <code> --reason <text> [--type Deduction]   (the history says an administrator ended it)',
    flags: ['user-id', 'product', 'reason', 'type'],
    required: ['user-id', 'product', 'reason'],
    run: async (flags) => {
      const { adminCloseAgreement } = await import('@/lib/admin/close-agreement')
      const closed = await adminCloseAgreement(await database(), {
        userId: need(flags, 'user-id'),
        productCode: need(flags, 'product'),
        reason: need(flags, 'reason'),
        arrangementType: flags.type,
      })
      return `Closed ${closed.userId}'s ${closed.arrangementType} agreement on product ${closed.productCode}.`
    },
  },
  'database:mark': {
    usage: 'database:mark [--production]   (whether this database is a demo; --production turns a demo database into production, for good)',
    flags: [],
    switches: ['production', 'demo'],
    required: [],
    run: async (flags) => {
      const { markDatabaseProduction, refuseMarkDemo, showDatabaseMark } = await import('@/lib/admin/mark-database')
      if (flags.demo === 'yes') refuseMarkDemo()
      if (flags.production !== 'yes') {
        const shown = await showDatabaseMark(await database())
        if (!shown.mark) return `${shown.database} is not marked: the demo tools refuse it; its first production start marks it production.`
        return `${shown.database} is marked ${shown.mark.mark} (since ${time(shown.mark.markedAt)}, by ${shown.mark.markedBy}).`
      }
      const marked = await markDatabaseProduction(await database())
      const disabled = marked.disabledDemoAccounts.length
        ? ` Disabled the demo accounts that still had their public password: ${marked.disabledDemoAccounts.join(', ')}.`
        : ''
      if (marked.before === 'production') return `${marked.database} was already marked production; nothing changed.${disabled}`
      return `Marked ${marked.database} production (it was ${marked.before ?? 'unmarked'}): demo:seed, demo:reset and the demo tools refuse it from now on.${disabled}`
    },
  },
  'merchant:return-origin:add': {
    usage: 'merchant:return-origin:add --merchant <merchant id> --origin <https://host[:port]>   (where its sign requests may send the browser back)',
    flags: ['merchant', 'origin'],
    required: ['merchant', 'origin'],
    run: async (flags) => {
      const { addReturnOrigin } = await import('@/lib/admin/return-origins')
      const added = await addReturnOrigin(await database(), { merchantId: need(flags, 'merchant'), origin: need(flags, 'origin') })
      return `Merchant ${added.merchantId}'s sign requests may return to ${added.origin}.`
    },
  },
  'merchant:return-origin:list': {
    usage: 'merchant:return-origin:list --merchant <merchant id>',
    flags: ['merchant'],
    required: ['merchant'],
    run: async (flags) => {
      const { listReturnOrigins } = await import('@/lib/admin/return-origins')
      const origins = await listReturnOrigins(await database(), { merchantId: need(flags, 'merchant') })
      return origins.length === 0 ? 'No return origins.' : origins.join('\n')
    },
  },
  'merchant:return-origin:remove': {
    usage: 'merchant:return-origin:remove --merchant <merchant id> --origin <origin>',
    flags: ['merchant', 'origin'],
    required: ['merchant', 'origin'],
    run: async (flags) => {
      const { removeReturnOrigin } = await import('@/lib/admin/return-origins')
      const removed = await removeReturnOrigin(await database(), { merchantId: need(flags, 'merchant'), origin: need(flags, 'origin') })
      return `Removed ${removed.origin} from merchant ${removed.merchantId}'s return origins.`
    },
  },
  'webhook:set': {
    usage: 'webhook:set --merchant <merchant id> --url <https://…>   (the first time, prints the signing secret, once)',
    flags: ['merchant', 'url'],
    required: ['merchant', 'url'],
    run: async (flags) => {
      const { setWebhookEndpoint } = await import('@/lib/admin/webhooks')
      const endpoint = await setWebhookEndpoint(await database(), { merchantId: need(flags, 'merchant'), url: need(flags, 'url') })
      if (!endpoint.secret) return `Merchant ${endpoint.merchantId}'s events now go to ${endpoint.url} (signing secret unchanged).`
      // the key id shows at once an admin command run without the app's DATA_ENCRYPTION_KEY
      const { dataKeyring } = await import('@/lib/sealing/keyring')
      return `Merchant ${endpoint.merchantId}'s events now go to ${endpoint.url}. The signing secret is shown this once:\n${fields([['secret', endpoint.secret], ['sealed with data key', dataKeyring().current.id]])}`
    },
  },
  'webhook:rotate-secret': {
    usage: 'webhook:rotate-secret --merchant <merchant id> [--overlap-hours 24]   (the old secret also signs until the overlap ends)',
    flags: ['merchant', 'overlap-hours'],
    required: ['merchant'],
    run: async (flags) => {
      const { rotateSigningSecret } = await import('@/lib/admin/webhooks')
      const rotated = await rotateSigningSecret(await database(), { merchantId: need(flags, 'merchant'), overlapHours: flags['overlap-hours'] })
      return `New signing secret for merchant ${rotated.merchantId}; the previous one also signs until ${time(rotated.previousUntil)}. Shown this once:\n${fields([['secret', rotated.secret]])}`
    },
  },
  'webhook:reseal': {
    usage: 'webhook:reseal   (seals every signing secret under the current DATA_ENCRYPTION_KEY: after a rotation of that key)',
    flags: [],
    required: [],
    run: async () => {
      const { resealSigningSecrets } = await import('@/lib/admin/webhooks')
      const { resealed } = await resealSigningSecrets(await database())
      const { dataKeyring } = await import('@/lib/sealing/keyring')
      return `Re-sealed ${resealed} webhook endpoint${resealed === 1 ? '' : 's'}; every signing secret is sealed with data key ${dataKeyring().current.id}.`
    },
  },
  'webhook:failed': {
    usage: 'webhook:failed [--merchant <merchant id>]   (deliveries given up on)',
    flags: ['merchant'],
    required: [],
    run: async (flags) => {
      const { listFailedDeliveries } = await import('@/lib/admin/webhooks')
      const failed = await listFailedDeliveries(await database(), { merchantId: flags.merchant })
      if (failed.length === 0) return 'No failed deliveries.'
      const rows = failed.map((f) => [String(f.id), String(f.eventId ?? f.signRequestId), f.merchantId, f.userId, f.productCode, String(f.attempts), time(f.createdAt), f.lastError ?? '-'])
      return textTable(['id', 'event', 'merchant', 'user', 'product', 'attempts', 'created', 'last error'], rows)
    },
  },
  'webhook:redeliver': {
    usage: 'webhook:redeliver --id <delivery id> | --all-failed [--merchant <merchant id>]',
    flags: ['id', 'merchant'],
    switches: ['all-failed'],
    required: [],
    run: async (flags) => {
      const { redeliver } = await import('@/lib/admin/webhooks')
      const allFailed = flags['all-failed'] === 'yes'
      const { count } = await redeliver(await database(), { id: flags.id, merchantId: flags.merchant, allFailed })
      return `${count} ${count === 1 ? 'delivery' : 'deliveries'} will be sent again.`
    },
  },
}

const USAGE = [
  'Usage: npm run admin -- <command> [--flags]',
  '',
  'Commands:',
  ...Object.values(commands).map((c) => `  ${c.usage}`),
  '',
  'user:create reads the password from standard input (its first line), or asks for it twice on a terminal.',
].join('\n')

/** The flags of one command; parse errors never repeat a value, which could be a mistyped password. */
function parseFlags(command: Command, args: string[]): Flags | 'help' {
  const options = {
    ...Object.fromEntries(command.flags.map((name) => [name, { type: 'string' as const }])),
    ...Object.fromEntries((command.switches ?? []).map((name) => [name, { type: 'boolean' as const }])),
  }
  let values: Record<string, string | boolean | undefined>
  try {
    values = parseArgs({ args, options: { ...options, help: { type: 'boolean', short: 'h' } }, strict: true }).values
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') throw new UsageError('unexpected argument: only --flags are accepted')
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      const name = /'(-[^'=\s]*)/.exec((error as Error).message)?.[1] ?? 'option'
      throw new UsageError(`unknown option ${name}`)
    }
    throw new UsageError((error as Error).message)
  }
  if (values.help) return 'help'
  const missing = command.required.filter((name) => values[name] === undefined)
  if (missing.length > 0) throw new UsageError(`missing ${missing.map((m) => `--${m}`).join(', ')}`)
  // a switch reads as 'yes' when given, so every flag stays a string
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, v === true ? 'yes' : v === false ? undefined : v])) as Flags
}

async function readPassword(): Promise<string> {
  if (!process.stdin.isTTY) {
    const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity })
    for await (const line of lines) return line
    throw new UsageError('no password on standard input (pipe it in, or run on a terminal to be asked)')
  }
  const password = await ask('Password: ')
  if ((await ask('Repeat password: ')) !== password) throw new UsageError('the two passwords differ')
  return password
}

/** Asks on the terminal without echoing what is typed. */
async function ask(prompt: string): Promise<string> {
  let muted = false
  const output = new Writable({
    write(chunk, _encoding, done) {
      if (!muted) process.stderr.write(chunk)
      done()
    },
  })
  const rl = readline.createInterface({ input: process.stdin, output, terminal: true })
  rl.on('SIGINT', () => {
    process.stderr.write('\n')
    process.exit(130)
  })
  try {
    process.stderr.write(prompt)
    muted = true
    return await rl.question('')
  } finally {
    rl.close()
    process.stderr.write('\n')
  }
}

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    ;(name === undefined ? console.error : console.log)(USAGE)
    return name === undefined ? 2 : 0
  }
  const command = Object.hasOwn(commands, name) ? commands[name] : undefined
  try {
    if (!command) throw new UsageError(`unknown command "${name}"`)
    const flags = parseFlags(command, args)
    if (flags === 'help') {
      console.log(`Usage: npm run admin -- ${command.usage}`)
      return 0
    }
    console.log(await command.run(flags))
    return 0
  } catch (error) {
    if (error instanceof UsageError || (error instanceof AdminError && error.kind === 'invalid')) {
      console.error(`error: ${error.message}\n`)
      console.error(command ? `Usage: npm run admin -- ${command.usage}` : USAGE)
      return 2
    }
    console.error(`error: ${error instanceof Error ? error.message : String(error)}`)
    return 1
  }
}

let exitCode = 1
try {
  exitCode = await main(process.argv.slice(2))
} finally {
  await db?.closeDatabase().catch(() => {})
}
process.exit(exitCode)
