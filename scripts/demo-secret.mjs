// Prints the local demo's AUTH_SECRET: a random one made on the first `npm run demo`
// and kept beside the embedded database (./data/auth-secret, readable by its owner
// only), so that a restart keeps the browsers signed in. Production sets its own.
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'

const file = path.join(path.dirname(path.resolve(process.env.PGLITE_DIR ?? './data/pglite')), 'auth-secret')
// the data folder and everything in it is its owner's only (lib/db/private-data-folder.ts)
process.umask(0o077)
if (!fs.existsSync(file)) {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 })
  fs.writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600, flag: 'wx' })
}
process.stdout.write(fs.readFileSync(file, 'utf8').trim())
