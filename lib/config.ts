import { z } from 'zod'
import { parseTrustProxy } from '@/lib/http/client-address'
import { parseDataKey } from '@/lib/sealing/data-keys'

// Configuration comes from the environment only, validated once. Local runs get
// safe defaults; production (NODE_ENV=production, whatever the database) refuses to
// start without a real secret and says which variable is missing. Demo mode (the
// demo accounts, shown on the login page) is on only where asked for, or in local
// development on the embedded database.
export const DEV_AUTH_SECRET = 'fcdeduction-local-development-secret-do-not-deploy'
/** The data encryption key outside production and in the demo: "fcdeduction-local-development-k1" in hex. Public, so it protects nothing. */
export const DEV_DATA_ENCRYPTION_KEY = '6663646564756374696f6e2d6c6f63616c2d646576656c6f706d656e742d6b31'
const KEY_FORMAT = '32 bytes as 64 hex digits or base64'

const seconds = (fallback: number) => z.coerce.number().int().positive().default(fallback)
const milliseconds = (fallback: number) => z.coerce.number().int().positive().default(fallback)
/** A port number, written as digits: an empty value is refused rather than read as 0. */
const port = (min: number, fallback: number) =>
  z
    .string()
    .regex(/^\d+$/, 'must be a port number')
    .transform(Number)
    .pipe(z.number().int().min(min, `must be at least ${min}`).max(65535, 'must be at most 65535'))
    .default(fallback)
/** A whole number of days, at least 1: retention cannot be turned off by a 0. */
const days = (fallback: number) =>
  z
    .string()
    .regex(/^\d+$/, 'must be a whole number of days')
    .transform(Number)
    .pipe(z.number().int().min(1, 'must be at least 1 day'))
    .default(fallback)
const dataKey = z.string().transform((value, ctx) => parseDataKey(value) ?? (ctx.addIssue({ code: 'custom', message: `must be ${KEY_FORMAT} (e.g. \`openssl rand -hex 32\`)` }), z.NEVER))
const dataKeys = z.string().transform((value, ctx) => {
  const keys = value.split(',').map((k) => k.trim()).filter(Boolean).map(parseDataKey)
  if (keys.every((k) => k !== undefined)) return keys
  ctx.addIssue({ code: 'custom', message: `each key must be ${KEY_FORMAT}, the keys separated by commas` })
  return z.NEVER
})
const flag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1')

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgresql:// URL (leave it unset for the embedded database)')
    .optional(),
  PGLITE_DIR: z.string().min(1).default('./data/pglite'),
  FC_TENANT_ID: z.string().min(1).max(8, 'at most 8 characters').regex(/^[A-Za-z0-9]+$/, 'letters and digits only').default('FC000001'),
  AUTH_SECRET: z.string().min(32, 'at least 32 characters').optional(),
  /** seals the webhook signing secrets (AES-256-GCM, lib/sealing/); the id of each key is derived from it */
  DATA_ENCRYPTION_KEY: dataKey.optional(),
  /** keys that still open what they sealed before a rotation, never used to seal */
  DATA_ENCRYPTION_PREVIOUS_KEYS: dataKeys.default([]),
  /** lifetime of an API access token */
  TOKEN_TTL_SECONDS: seconds(15 * 60),
  /** lifetime of an API refresh token (each one works once) */
  REFRESH_TTL_SECONDS: seconds(30 * 24 * 3600),
  /** a session unused for this long ends (browser and API alike) */
  SESSION_IDLE_SECONDS: seconds(30 * 60),
  /** a session ends this long after login, however busy */
  SESSION_ABSOLUTE_SECONDS: seconds(12 * 3600),
  /** how long a database call may take before the answer is "unavailable" (99) */
  DB_TIMEOUT_MS: z.coerce.number().int().positive().default(3000),
  DB_POOL_SIZE: z.coerce.number().int().positive().default(10),
  LOGIN_MAX_FAILURES: z.coerce.number().int().positive().default(5),
  LOGIN_BLOCK_SECONDS: seconds(15 * 60),
  /** IPv6 clients' login attempts are counted per network of this many leading bits (one subscriber holds a /64); IPv4 per address */
  THROTTLE_IPV6_PREFIX: z
    .string()
    .regex(/^\d+$/, 'must be a prefix length, a whole number of bits')
    .transform(Number)
    .pipe(z.number().int().min(1, 'must be at least 1').max(128, 'must be at most 128'))
    .default(64),
  /** ended sessions, their refresh tokens and login attempts are deleted this long after (lib/agreements/retention.ts) */
  RETENTION_DAYS: days(90),
  PORT: port(1, 3000),
  /** 0 turns the gRPC door off */
  GRPC_PORT: port(0, 50051),
  /** lib/http/connection-limits.ts */
  HTTP_HEADERS_TIMEOUT_MS: milliseconds(10_000),
  HTTP_REQUEST_TIMEOUT_MS: milliseconds(30_000),
  // above the 60 s that proxies and load balancers keep an idle upstream connection by
  // default (nginx, AWS ALB), so that the server never closes one as the proxy reuses it
  IDLE_TIMEOUT_MS: milliseconds(65_000),
  /** calls at once on one gRPC connection (HTTP/2 SETTINGS_MAX_CONCURRENT_STREAMS); a client wanting more opens another */
  GRPC_MAX_CONCURRENT_STREAMS: z.coerce.number().int().min(1).max(10_000).default(100),
  /** gRPC connections one client address may hold at once; a trusted proxy's are not counted (lib/http/grpc-address-cap.ts) */
  GRPC_MAX_CONNECTIONS_PER_ADDRESS: z.coerce.number().int().min(1).max(100_000).default(20),
  /** a client's keepalive pings closer together than this are strikes; the third sends it away (gRPC's own default, 5 min) */
  GRPC_MIN_PING_INTERVAL_MS: milliseconds(300_000),
  HOST: z.string().default('127.0.0.1'),
  METRICS_TOKEN: z.string().min(16).optional(),
  /** who may tell the client's address in X-Forwarded-For (lib/http/client-address.ts) */
  TRUST_PROXY: z
    .string()
    .default('loopback')
    .transform((value, ctx) => {
      try {
        return parseTrustProxy(value)
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message })
        return z.NEVER
      }
    }),
  DEMO_MODE: flag.optional(),
  /** the site's address as browsers reach it; https:// makes the cookie Secure and sends HSTS */
  PUBLIC_URL: z
    .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' })
    .transform((u) => u.replace(/\/+$/, ''))
    .optional(),
  /** next-auth's own name for the site's address: only as a copy of PUBLIC_URL */
  NEXTAUTH_URL: z.string().optional(),
  /** where events are delivered from: this process (the default) or only `npm run worker` (lib/webhooks/) */
  WEBHOOK_DELIVERY: z.enum(['in-process', 'off']).default('in-process'),
  /** development and tests only: lets endpoints be http:// and resolve to private, loopback or link-local addresses */
  WEBHOOK_ALLOW_PRIVATE: flag.default(false),
  /** the first retry's delay; each later one doubles, up to WEBHOOK_RETRY_MAX_MS (pg-boss counts whole seconds) */
  WEBHOOK_RETRY_BASE_MS: milliseconds(30_000),
  WEBHOOK_RETRY_MAX_MS: milliseconds(3_600_000),
  /** how long after the event an undelivered one is retried before it is marked failed (at least 24 h by default) */
  WEBHOOK_RETRY_WINDOW_SECONDS: seconds(24 * 3600),
  /** one attempt's bound, connection to last byte */
  WEBHOOK_TIMEOUT_MS: milliseconds(10_000),
  /** the receiver's answer is read up to this many bytes, then cut */
  WEBHOOK_MAX_RESPONSE_BYTES: z.coerce.number().int().positive().default(64 * 1024),
  /** how often the relay looks at the outbox, and pg-boss's workers at the delivery queue (at least 500 ms) */
  WEBHOOK_POLL_MS: milliseconds(1_000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
})

export type Config = z.infer<typeof schema> & {
  authSecret: string
  /** the key that seals, and the ones that only open (DATA_ENCRYPTION_PREVIOUS_KEYS) */
  dataEncryptionKeys: { current: Buffer; previous: Buffer[] }
  demoMode: boolean
  embedded: boolean
  publicUrl: string
}

export class ConfigError extends Error {
  override name = 'ConfigError'
}

export function parseConfig(env: Record<string, string | undefined>): Config {
  const result = schema.safeParse(env)
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)
    throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`)
  }
  const c = result.data
  if (c.HTTP_HEADERS_TIMEOUT_MS > c.HTTP_REQUEST_TIMEOUT_MS) {
    throw new ConfigError('Invalid configuration:\n  HTTP_HEADERS_TIMEOUT_MS: must not exceed HTTP_REQUEST_TIMEOUT_MS')
  }
  const embedded = !c.DATABASE_URL
  const production = c.NODE_ENV === 'production'
  if (production && !c.AUTH_SECRET) {
    throw new ConfigError(
      'Invalid configuration:\n  AUTH_SECRET: required in production (32 or more random characters, e.g. `openssl rand -hex 32`); for a local demo run `npm run demo`',
    )
  }
  if (production && c.AUTH_SECRET === DEV_AUTH_SECRET) {
    throw new ConfigError('Invalid configuration:\n  AUTH_SECRET: the development default cannot be used in production')
  }
  const demoMode = c.DEMO_MODE ?? (!production && embedded)
  const devKey = Buffer.from(DEV_DATA_ENCRYPTION_KEY, 'hex')
  // the demo serves a production build on a fresh clone: it keeps the documented key, as development does
  if (production && !demoMode && !c.DATA_ENCRYPTION_KEY) {
    throw new ConfigError(
      `Invalid configuration:\n  DATA_ENCRYPTION_KEY: required in production (32 random bytes as 64 hex digits or base64, e.g. \`openssl rand -hex 32\`); it seals the webhook signing secrets, see docs/operations.md`,
    )
  }
  if (production && !demoMode && c.DATA_ENCRYPTION_KEY?.equals(devKey)) {
    throw new ConfigError('Invalid configuration:\n  DATA_ENCRYPTION_KEY: the development key cannot be used in production')
  }
  const publicUrl = c.PUBLIC_URL ?? `http://localhost:${c.PORT}`
  if (c.NEXTAUTH_URL !== undefined && c.NEXTAUTH_URL.replace(/\/+$/, '') !== publicUrl) {
    throw new ConfigError('Invalid configuration:\n  NEXTAUTH_URL: set PUBLIC_URL instead (the one setting for the site\'s address)')
  }
  return {
    ...c,
    authSecret: c.AUTH_SECRET ?? DEV_AUTH_SECRET,
    dataEncryptionKeys: { current: c.DATA_ENCRYPTION_KEY ?? devKey, previous: c.DATA_ENCRYPTION_PREVIOUS_KEYS },
    demoMode,
    embedded,
    publicUrl,
  }
}

let cached: Config | undefined
/** The process's configuration, read on first use (never at import: `next build` imports this). */
export function config(): Config {
  return (cached ??= parseConfig(process.env))
}
