// `node --import tsx tests/support/prepare-database-cli.ts <count ≥ 0> [label]` (prepare-database.ts):
// in one process, migrates the configured database as `scripts/db.ts deploy` does, seeds it as
// `prisma/seed.ts` does, makes that many new users as make-users.ts does, and prints them, as
// JSON, on the last line. The database is closed before the process ends, so that an embedded
// one's folder (its lock, lib/db/pglite-lock.ts) is free for the server the test starts next.
import { runDbCommand } from '@/scripts/db'
import { seedDatabase } from '@/prisma/seed'
import { closeTestDatabase, createUsers, type TestUser } from './db-utils'

const count = Number(process.argv[2])
if (!Number.isInteger(count) || count < 0) {
  console.error('usage: prepare-database-cli.ts <count ≥ 0> [label]')
  process.exit(2)
}
let users: TestUser[]
try {
  // deploy opens and closes a database of its own; the seed and the users share lib/db's
  await runDbCommand('deploy')
  await seedDatabase()
  users = count > 0 ? await createUsers(count, process.argv[3] ?? 'user') : []
} finally {
  await closeTestDatabase()
}
console.log(JSON.stringify(users))
// the migrations' wasm engine leaves a 10 s timer behind; do not wait for it
process.exit(0)
