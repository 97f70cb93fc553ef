import pino from 'pino'
import { z } from 'zod'
import { config } from '@/lib/config'
import { VERSION } from '@/lib/observability/build-info'
import { currentRequestId } from '@/lib/observability/request-id'

// Masking happens here and only here: call sites log plain fields and the
// redaction below censors secrets and masks personal data wherever they appear
// (top level, or up to two objects deep, e.g. `req.headers.authorization`).
const SECRET_FIELDS = ['password', 'loginValue', 'token', 'refreshToken', 'authorization', 'cookie', 'set-cookie', 'idempotencyKey', 'idempotency-key']
const PERSONAL_FIELDS = ['email', 'loginKey', 'userId', 'user']

const key = (name: string) => (/^[A-Za-z_$][\w$]*$/.test(name) ? `.${name}` : `["${name}"]`)
const paths = [...SECRET_FIELDS, ...PERSONAL_FIELDS].flatMap((name) => [
  key(name).replace(/^\./, ''),
  `*${key(name)}`,
  `*.*${key(name)}`,
])
const secret = new Set(SECRET_FIELDS)

const LOGIN_FIELDS = new Set(['email', 'loginKey'])
const wellFormedEmail = z.email()

/** 'U0000000000000001' → 'U***01': enough to tell ids apart in a log. */
export function maskIdentifier(value: string): string {
  if (value.length <= 4) return '***'
  return `${value[0]}***${value.slice(-2)}`
}

/**
 * 'alice@example.com' → 'a***@example.com'. Anything else typed as a login key may
 * be a password typed into the wrong field, so none of it is kept.
 */
export function maskLoginKey(value: string): string {
  if (!wellFormedEmail.safeParse(value).success) return '***'
  return `${value[0]}***${value.slice(value.lastIndexOf('@'))}`
}

function censor(value: unknown, path: string[]): unknown {
  const field = path[path.length - 1]
  if (secret.has(field)) return '[REDACTED]'
  if (typeof value !== 'string') return '[REDACTED]'
  if (value === '') return value
  return LOGIN_FIELDS.has(field) ? maskLoginKey(value) : maskIdentifier(value)
}

function level(): string {
  try {
    return config().LOG_LEVEL
  } catch {
    // a configuration error is reported by whoever starts the process; logging still works
    return 'info'
  }
}

/**
 * A structured logger with this process's redaction, writing JSON lines to `destination`:
 * by default standard output, written asynchronously so that a request never waits on
 * the write and lines logged while one is under way go out together (pino flushes
 * what is left when the process exits).
 */
export function createLogger(destination?: pino.DestinationStream) {
  const options: pino.LoggerOptions = {
    level: level(),
    // the version in every line: during a gray release two versions log side by side
    base: { service: 'fcdeduction', version: VERSION },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    mixin: () => {
      const requestId = currentRequestId()
      return requestId ? { requestId } : {}
    },
    redact: { paths, censor },
  }
  return pino(options, destination ?? pino.destination({ dest: 1, sync: false }))
}

/** The process's structured logger: JSON lines, each with the current request id. */
export const logger = createLogger()

/** An access line: flat, so every field the redaction names is at the top, where accessLog masks it. */
export type AccessLine = Record<string, string | number | undefined>

const MASKED_FIELDS = [...SECRET_FIELDS, ...PERSONAL_FIELDS]

/**
 * The access lines of a logger, one per request (lib/http/request-log.ts,
 * lib/rpc/interceptors.ts). They are flat, so the fields the redaction names are
 * masked by name here, with its censor, and the line skips the path matching, whose
 * wildcards cost some 40 µs a line: 5–7% of a light API call's CPU
 * (docs/operations.md#logs). `to` is the logger, without redaction, that writes them.
 */
export function accessLog(to: pino.Logger) {
  return (level: 'debug' | 'info' | 'error', line: AccessLine, message: string) => {
    if (!to.isLevelEnabled(level)) return
    const masked = { ...line }
    for (const field of MASKED_FIELDS) {
      const value = masked[field]
      if (value !== undefined) masked[field] = censor(value, [field]) as string
    }
    to[level](masked, message)
  }
}

/** The process's logger for access lines: the same output, no path-matching redaction (accessLog masks). */
export const accessLogger = logger.child({}, { redact: { paths: [] } })

/** The process's access lines. */
export const access = accessLog(accessLogger)
