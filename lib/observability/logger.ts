import pino from 'pino'
import { config } from '@/lib/config'
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

/** 'alice@example.com' → 'a***@example.com'; 'U0000000000000001' → 'U***01'. */
export function maskIdentifier(value: string): string {
  const at = value.lastIndexOf('@')
  if (at > 0) return `${value[0]}***${value.slice(at)}`
  if (value.length <= 4) return '***'
  return `${value[0]}***${value.slice(-2)}`
}

function censor(value: unknown, path: string[]): unknown {
  if (secret.has(path[path.length - 1])) return '[REDACTED]'
  if (typeof value === 'string') return value === '' ? value : maskIdentifier(value)
  return '[REDACTED]'
}

function level(): string {
  try {
    return config().LOG_LEVEL
  } catch {
    // a configuration error is reported by whoever starts the process; logging still works
    return 'info'
  }
}

/** The process's structured logger: JSON lines, each with the current request id. */
export const logger = pino({
  level: level(),
  base: { service: 'fcdeduction' },
  timestamp: pino.stdTimeFunctions.isoTime,
  formatters: { level: (label) => ({ level: label }) },
  mixin: () => {
    const requestId = currentRequestId()
    return requestId ? { requestId } : {}
  },
  redact: { paths, censor },
})
