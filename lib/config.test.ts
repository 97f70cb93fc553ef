// one database is enough: uses no database
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { ConfigError, DEV_AUTH_SECRET, DEV_DATA_ENCRYPTION_KEY, parseConfig } from '@/lib/config'

const production = { NODE_ENV: 'production', DATABASE_URL: 'postgresql://app@db.internal:5432/fcdeduction', DATA_ENCRYPTION_KEY: 'ab'.repeat(32) }

test('local runs get safe defaults', () => {
  const c = parseConfig({})
  assert.equal(c.FC_TENANT_ID, 'FC000001')
  assert.equal(c.embedded, true)
  assert.equal(c.demoMode, true)
  assert.equal(c.authSecret, DEV_AUTH_SECRET)
})

test('production with a real database refuses to start without a real secret, naming the variable', () => {
  assert.throws(() => parseConfig(production), (e: unknown) => e instanceof ConfigError && /AUTH_SECRET: required/.test(e.message))
  assert.throws(() => parseConfig({ ...production, AUTH_SECRET: DEV_AUTH_SECRET }), /AUTH_SECRET: the development default/)
  assert.throws(() => parseConfig({ ...production, AUTH_SECRET: 'short' }), /AUTH_SECRET: at least 32 characters/)
  const c = parseConfig({ ...production, AUTH_SECRET: 'x'.repeat(40) })
  assert.equal(c.demoMode, false)
})

test('bad values are refused with the variable named', () => {
  assert.throws(() => parseConfig({ FC_TENANT_ID: 'FC0000001' }), /FC_TENANT_ID: at most 8 characters/)
  assert.throws(() => parseConfig({ DATABASE_URL: 'mysql://x' }), /DATABASE_URL: must be a postgresql:\/\/ URL/)
  assert.throws(() => parseConfig({ PORT: 'abc' }), /PORT/)
  assert.throws(() => parseConfig({ DB_TIMEOUT_MS: '-1' }), /DB_TIMEOUT_MS/)
})

test('ports: an empty value is refused, not read as "any port"; GRPC_PORT=0 turns gRPC off; timeouts must nest', () => {
  assert.throws(() => parseConfig({ PORT: '' }), /PORT: must be a port number/)
  assert.throws(() => parseConfig({ PORT: '0' }), /PORT: must be at least 1/)
  assert.throws(() => parseConfig({ GRPC_PORT: '' }), /GRPC_PORT: must be a port number/)
  assert.throws(() => parseConfig({ GRPC_PORT: '70000' }), /GRPC_PORT: must be at most 65535/)
  assert.equal(parseConfig({ GRPC_PORT: '0' }).GRPC_PORT, 0)
  assert.equal(parseConfig({}).PORT, 3000)
  assert.throws(() => parseConfig({ HTTP_HEADERS_TIMEOUT_MS: '40000', HTTP_REQUEST_TIMEOUT_MS: '30000' }), /HTTP_HEADERS_TIMEOUT_MS: must not exceed/)
})

test('RETENTION_DAYS: 90 by default; 0, a fraction or a word is refused', () => {
  assert.equal(parseConfig({}).RETENTION_DAYS, 90)
  assert.equal(parseConfig({ RETENTION_DAYS: '7' }).RETENTION_DAYS, 7)
  assert.throws(() => parseConfig({ RETENTION_DAYS: '0' }), /RETENTION_DAYS: must be at least 1 day/)
  assert.throws(() => parseConfig({ RETENTION_DAYS: '1.5' }), /RETENTION_DAYS: must be a whole number of days/)
  assert.throws(() => parseConfig({ RETENTION_DAYS: 'ninety' }), /RETENTION_DAYS: must be a whole number of days/)
})

test('production refuses the development secret on the embedded database too, and has no demo mode unless asked', () => {
  const embeddedProduction = { NODE_ENV: 'production', DATA_ENCRYPTION_KEY: 'ab'.repeat(32) }
  assert.throws(() => parseConfig(embeddedProduction), /AUTH_SECRET: required in production/)
  assert.throws(() => parseConfig({ ...embeddedProduction, AUTH_SECRET: DEV_AUTH_SECRET }), /AUTH_SECRET: the development default/)
  const secret = 'x'.repeat(40)
  assert.equal(parseConfig({ ...embeddedProduction, AUTH_SECRET: secret }).demoMode, false)
  assert.equal(parseConfig({ ...embeddedProduction, AUTH_SECRET: secret, DEMO_MODE: 'true' }).demoMode, true)
  // a seed run against PostgreSQL (no NODE_ENV) creates no demo accounts unless asked
  assert.equal(parseConfig({ DATABASE_URL: production.DATABASE_URL }).demoMode, false)
  assert.equal(parseConfig({ DATABASE_URL: production.DATABASE_URL, DEMO_MODE: '1' }).demoMode, true)
  assert.throws(() => parseConfig({ DEMO_MODE: 'yes' }), /DEMO_MODE/)
})

test('PUBLIC_URL is the one setting for the site address; NEXTAUTH_URL may only repeat it', () => {
  assert.equal(parseConfig({}).publicUrl, 'http://localhost:3000')
  assert.equal(parseConfig({ PORT: '8080' }).publicUrl, 'http://localhost:8080')
  assert.equal(parseConfig({ PUBLIC_URL: 'https://pay.example.com/' }).publicUrl, 'https://pay.example.com')
  assert.throws(() => parseConfig({ PUBLIC_URL: 'ftp://pay.example.com' }), /PUBLIC_URL: must be an http:\/\/ or https:\/\/ URL/)
  assert.throws(() => parseConfig({ PUBLIC_URL: 'pay.example.com' }), /PUBLIC_URL/)
  assert.throws(() => parseConfig({ NEXTAUTH_URL: 'https://other.example.com' }), /NEXTAUTH_URL: set PUBLIC_URL instead/)
  assert.equal(parseConfig({ PUBLIC_URL: 'https://pay.example.com', NEXTAUTH_URL: 'https://pay.example.com/' }).publicUrl, 'https://pay.example.com')
})

test('THROTTLE_IPV6_PREFIX: 64 by default; a prefix length from 1 to 128, anything else refused', () => {
  assert.equal(parseConfig({}).THROTTLE_IPV6_PREFIX, 64)
  assert.equal(parseConfig({ THROTTLE_IPV6_PREFIX: '56' }).THROTTLE_IPV6_PREFIX, 56)
  assert.throws(() => parseConfig({ THROTTLE_IPV6_PREFIX: '0' }), /THROTTLE_IPV6_PREFIX: must be at least 1/)
  assert.throws(() => parseConfig({ THROTTLE_IPV6_PREFIX: '129' }), /THROTTLE_IPV6_PREFIX: must be at most 128/)
  assert.throws(() => parseConfig({ THROTTLE_IPV6_PREFIX: '/64' }), /THROTTLE_IPV6_PREFIX: must be a prefix length/)
})

test('DATA_ENCRYPTION_KEY: 32 bytes as 64 hex digits or base64; required in production, naming the variable', () => {
  const hex = 'c0ffee'.repeat(10) + 'c0fe'
  const key = Buffer.from(hex, 'hex')
  const real = { ...production, AUTH_SECRET: 'x'.repeat(40) }
  assert.deepEqual(parseConfig({ ...real, DATA_ENCRYPTION_KEY: hex }).dataEncryptionKeys.current, key)
  assert.deepEqual(parseConfig({ ...real, DATA_ENCRYPTION_KEY: key.toString('base64') }).dataEncryptionKeys.current, key)
  assert.deepEqual(parseConfig({ ...real, DATA_ENCRYPTION_KEY: key.toString('base64url') }).dataEncryptionKeys.current, key)
  assert.throws(() => parseConfig({ ...real, DATA_ENCRYPTION_KEY: undefined }), (e: unknown) => e instanceof ConfigError && /DATA_ENCRYPTION_KEY: required in production \(32 random bytes as 64 hex digits or base64/.test(e.message))
  assert.throws(() => parseConfig({ ...real, DATA_ENCRYPTION_KEY: DEV_DATA_ENCRYPTION_KEY }), /DATA_ENCRYPTION_KEY: the development key cannot be used in production/)
  for (const bad of ['', 'abc', 'ab'.repeat(31), 'ab'.repeat(33), 'zz'.repeat(32), key.subarray(0, 16).toString('base64'), 'x'.repeat(44)]) {
    assert.throws(() => parseConfig({ ...real, DATA_ENCRYPTION_KEY: bad }), /DATA_ENCRYPTION_KEY: must be 32 bytes as 64 hex digits or base64/, JSON.stringify(bad))
  }
})

test('DATA_ENCRYPTION_KEY: the documented development key outside production and in the demo; previous keys for a rotation', () => {
  const dev = Buffer.from(DEV_DATA_ENCRYPTION_KEY, 'hex')
  assert.equal(dev.length, 32)
  assert.deepEqual(parseConfig({}).dataEncryptionKeys, { current: dev, previous: [] })
  assert.deepEqual(parseConfig({ NODE_ENV: 'test' }).dataEncryptionKeys.current, dev)
  // `npm run demo` serves a production build in demo mode on a fresh clone: no key to set up
  assert.deepEqual(parseConfig({ NODE_ENV: 'production', AUTH_SECRET: 'x'.repeat(40), DEMO_MODE: 'true' }).dataEncryptionKeys.current, dev)
  const [a, b] = ['a1'.repeat(32), 'b2'.repeat(32)]
  const rotating = parseConfig({ ...production, AUTH_SECRET: 'x'.repeat(40), DATA_ENCRYPTION_PREVIOUS_KEYS: ` ${a}, ${Buffer.from(b, 'hex').toString('base64')} ` })
  assert.deepEqual(rotating.dataEncryptionKeys.previous, [Buffer.from(a, 'hex'), Buffer.from(b, 'hex')])
  assert.throws(() => parseConfig({ ...production, AUTH_SECRET: 'x'.repeat(40), DATA_ENCRYPTION_PREVIOUS_KEYS: `${a},nope` }), /DATA_ENCRYPTION_PREVIOUS_KEYS: each key must be 32 bytes as 64 hex digits or base64/)
})

test("the gRPC door's limits: safe defaults; none can be turned off with 0 or left empty", () => {
  const c = parseConfig({})
  assert.equal(c.GRPC_MAX_CONCURRENT_STREAMS, 100)
  assert.equal(c.GRPC_MAX_CONNECTIONS_PER_ADDRESS, 20)
  assert.equal(c.GRPC_MIN_PING_INTERVAL_MS, 300_000)
  for (const name of ['GRPC_MAX_CONCURRENT_STREAMS', 'GRPC_MAX_CONNECTIONS_PER_ADDRESS', 'GRPC_MIN_PING_INTERVAL_MS']) {
    for (const value of ['0', '', '-3', 'many']) assert.throws(() => parseConfig({ [name]: value }), new RegExp(`${name}: `), `${name}=${value}`)
  }
  assert.throws(() => parseConfig({ GRPC_MAX_CONCURRENT_STREAMS: '20000' }), /GRPC_MAX_CONCURRENT_STREAMS: /)
})
