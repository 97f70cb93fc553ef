// Command-line options of `npm run bench`. Sizes are data-shape choices, so
// they are all named here together with the reasoning behind the defaults.

export type BenchOptions = {
  size: 'small' | 'large'
  /** generated users (the list, deep-page and open/close users are among them) */
  users: number
  /** relations of an ordinary generated user; users × this ≈ the relation rows */
  relationsPerUser: number
  /** seconds of measured load per phase, and of warm-up before it */
  duration: number
  warmup: number
  /** measured rounds of each server per phase, in turn; each keeps its best */
  rounds: number
  /** seconds of warm-up before a server's first measured phase */
  firstWarmup: number
  connections: number
  /** PostgreSQL connections of the app and of the floor alike */
  poolSize: number
  adminUrl: string
  database: string
  keepDb: boolean
  skipBrowser: boolean
  /** write a V8 CPU profile of the app (and the floor) for the whole run */
  profile: boolean
  logLevel: string
  /** the phases to run (all unless --only names some) */
  only: Set<Phase>
  /** UV_THREADPOOL_SIZE of the app and the floor (unset: Node's default of 4) */
  uvThreads?: number
  /** the app's server bundle: dist/server.js, or another build of it to compare */
  appServer: string
  /** a second build measured beside the app in every phase compared with the floor but login (A/B in one run) */
  compareServer?: string
  /** results go to bench/results/<size>[-<tag>] */
  tag?: string
}

export const PHASES = ['growth', 'list', 'heavy', 'deep', 'open-close', 'catalogue', 'detail', 'merchant-query', 'sign-create', 'sign-confirm', 'login', 'argon2', 'explain', 'round-trips', 'pages', 'render'] as const
export type Phase = (typeof PHASES)[number]

// A list user's agreement count is the "user shape" held constant while the table
// grows: 16 of them × 60 agreements is the 1k-row starting point of the growth test.
export const LIST_USERS = 16
export const LIST_USER_AGREEMENTS = 60
// Deep-page users: page 41 of 50, which a keyset page reaches as cheaply as page 1.
export const DEEP_USERS = 8
export const DEEP_USER_AGREEMENTS = 1000
export const DEEP_PAGE_OFFSET = 800
// One user per connection for open+close pairs (so no two clients race on one row).
export const OPEN_CLOSE_USERS = 64
// Users whose services carry term values and a history (an open, then a change): the
// catalogue, detail and merchant-query callers, one per connection as for open+close.
export const TERMS_USERS = 64
// Users who confirm sign requests: one per connection, each with a browser session
// (a signed cookie, as the sign page's confirm needs); numbered after every other user,
// so they hold nothing and can sign any bench product.
export const SIGN_USERS = 64

// Logins go round-robin over users that no other phase holds a token for.
export const FIRST_LOGIN_USER = 1001
export const LOGIN_POOL = 5000
// The bench's products: a user can hold at most one relation per product.
export const PRODUCTS = 1000

const SIZES = {
  // ~100k relation rows: the bulk fill takes seconds, the whole run a few minutes
  small: { users: 10_000, relationsPerUser: 10 },
  // ≥ 100k users and ≥ 1M relation rows (the large setting)
  large: { users: 100_000, relationsPerUser: 12 },
} as const

function value(args: string[], name: string): string | undefined {
  const prefix = `--${name}=`
  const inline = args.find((a) => a.startsWith(prefix))
  if (inline) return inline.slice(prefix.length)
  const at = args.indexOf(`--${name}`)
  const next = at >= 0 ? args[at + 1] : undefined
  return next !== undefined && !next.startsWith('--') ? next : undefined
}

function positive(args: string[], name: string, fallback: number): number {
  const raw = value(args, name)
  if (raw === undefined) return fallback
  const n = Number(raw)
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number, got ${raw}`)
  return n
}

export const USAGE = `Usage: npm run bench [-- options]
  --large                  100k users, 1.2M relations (default: 10k users, 100k relations)
  --users N                generated users (at least ${FIRST_LOGIN_USER + 100})
  --relations-per-user N   relations of an ordinary generated user (at most ${PRODUCTS})
  --duration S             measured seconds per phase (default 10)
  --warmup S               warm-up seconds before each phase (default 2)
  --rounds N               measured rounds of each server per phase, app and floor in turn; the best
                           of each is compared (default 2; every round is printed)
  --first-warmup S         warm-up seconds before a server's first phase (default 10): its code is
                           compiled by the JIT then, which a server in service did long ago
  --connections N          concurrent clients (default 32)
  --pool N                 database connections of the app and of the floor (default 10)
  --database-url URL       PostgreSQL server to use (default postgresql://postgres@127.0.0.1:5432/postgres)
  --database NAME          the run's database, dropped and recreated (default fc_bench_<size>; a shared
                           server needs one name per person running the bench)
  --keep-db                leave the fc_bench_* database behind for inspection
  --skip-browser           no headless Chromium (page weight is still reported)
  --profile                write V8 CPU profiles of the app and the floor to the results folder
  --log-level LEVEL        the app's LOG_LEVEL (default info, as in production: one JSON line per request)
  --uv-threads N           UV_THREADPOOL_SIZE of both servers (argon2 runs on that pool; Node's default is 4)
  --only a,b,…             run only these phases: ${PHASES.join(', ')}
  --app-server FILE        another build of the server to measure instead of dist/server.js (A/B of a change)
  --compare-server FILE    also measure this build, right after the app in each phase but login
  --tag NAME               write to bench/results/<size>-NAME instead of bench/results/<size>`

function databaseName(name: string): string {
  // it is interpolated into DROP / CREATE DATABASE, so only a plain identifier will do
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`--database must be a lower-case identifier (letters, digits, _), got ${name}`)
  return name
}

function phases(list: string | undefined): Set<Phase> {
  if (!list) return new Set(PHASES)
  const names = list.split(',').map((s) => s.trim())
  const unknown = names.filter((n) => !(PHASES as readonly string[]).includes(n))
  if (unknown.length) throw new Error(`--only: unknown phase ${unknown.join(', ')} (phases: ${PHASES.join(', ')})`)
  return new Set(names as Phase[])
}

export function parseOptions(args: string[]): BenchOptions {
  if (args.includes('--help') || args.includes('-h')) {
    console.log(USAGE)
    process.exit(0)
  }
  const size = args.includes('--large') ? 'large' : 'small'
  const users = Math.floor(positive(args, 'users', SIZES[size].users))
  const relationsPerUser = Math.floor(positive(args, 'relations-per-user', SIZES[size].relationsPerUser))
  if (users < FIRST_LOGIN_USER + 100) throw new Error(`--users must be at least ${FIRST_LOGIN_USER + 100}`)
  if (relationsPerUser > PRODUCTS) throw new Error(`--relations-per-user must be at most ${PRODUCTS}`)
  return {
    size,
    users,
    relationsPerUser,
    duration: positive(args, 'duration', 10),
    warmup: positive(args, 'warmup', 2),
    rounds: Math.max(1, Math.floor(positive(args, 'rounds', 2))),
    firstWarmup: positive(args, 'first-warmup', 10),
    connections: Math.floor(positive(args, 'connections', 32)),
    poolSize: Math.floor(positive(args, 'pool', 10)),
    adminUrl: value(args, 'database-url') ?? process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres',
    database: databaseName(value(args, 'database') ?? `fc_bench_${size}`),
    keepDb: args.includes('--keep-db'),
    skipBrowser: args.includes('--skip-browser'),
    profile: args.includes('--profile'),
    logLevel: value(args, 'log-level') ?? 'info',
    only: phases(value(args, 'only')),
    uvThreads: value(args, 'uv-threads') === undefined ? undefined : Math.floor(positive(args, 'uv-threads', 4)),
    appServer: value(args, 'app-server') ?? 'dist/server.js',
    tag: value(args, 'tag'),
    compareServer: value(args, 'compare-server'),
  }
}
