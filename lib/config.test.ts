import { test } from 'node:test'
import assert from 'node:assert/strict'
import { ConfigError, DEV_AUTH_SECRET, parseConfig } from '@/lib/config'

const production = { NODE_ENV: 'production', DATABASE_URL: 'postgresql://app@db.internal:5432/fcdeduction' }

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
  const embeddedProduction = { NODE_ENV: 'production' }
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
