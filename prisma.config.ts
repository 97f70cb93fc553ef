import path from 'node:path'
import { defineConfig } from 'prisma/config'

// Prisma 7 no longer reads .env by itself.
try {
  process.loadEnvFile()
} catch {
  // no .env file: the environment alone configures the CLI
}

// The native schema engine cannot be downloaded on machines without internet access;
// scripts/schema-engine-shim.mjs speaks the CLI's JSON-RPC and forwards to the wasm engine.
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= path.resolve(import.meta.dirname, 'scripts/schema-engine-shim.mjs')

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations', seed: 'tsx prisma/seed.ts' },
  // plain process.env (not env()) so that `prisma generate` works without a database URL
  datasource: { url: process.env.DATABASE_URL ?? '' },
})
