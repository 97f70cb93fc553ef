// `npx tsx tests/support/make-users.ts <count> [label]`: makes that many new users in the
// configured database (tests/support/db-utils.ts) and prints them, as JSON, on the last line.
import { closeTestDatabase, createUsers } from './db-utils'

const count = Number(process.argv[2])
if (!Number.isInteger(count) || count < 1) {
  console.error('usage: make-users.ts <count ≥ 1> [label]')
  process.exit(2)
}
const users = await createUsers(count, process.argv[3] ?? 'user')
await closeTestDatabase()
console.log(JSON.stringify(users))
process.exit(0)
