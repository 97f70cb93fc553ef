// npm run release:share -- <percent>: the share of users nginx sends to the new release
// (docs/operations.md#releasing). Writes the one file that holds it (FC_RELEASE_SHARE_FILE,
// the path deploy/nginx.conf includes), has nginx check the whole configuration, and reloads
// it; if the check fails the file goes back as it was. 0 is the rollback.
//   FC_RELEASE_SHARE_FILE  default /etc/nginx/fcdeduction-release-share.conf
//   NGINX                  the nginx binary (default nginx); NGINX_ARGS extra arguments for
//                          both calls, e.g. "-p /srv/nginx -c /srv/nginx/nginx.conf"
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import { parseShare, readShare, shareFileText, ShareError } from '@/lib/release/share'

const file = process.env.FC_RELEASE_SHARE_FILE || '/etc/nginx/fcdeduction-release-share.conf'
const nginx = process.env.NGINX || 'nginx'
const extra = (process.env.NGINX_ARGS ?? '').split(/\s+/).filter(Boolean)

function run(args: string[]) {
  execFileSync(nginx, [...extra, ...args], { stdio: ['ignore', 'inherit', 'inherit'] })
}

let share: number
try {
  share = parseShare(process.argv[2])
} catch (error) {
  if (!(error instanceof ShareError)) throw error
  console.error(`${error.message}\nusage: npm run release:share -- <percent>   (0 = everyone on the release in service)`)
  process.exit(2)
}
const before = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined
// written whole to a neighbour, then renamed: nginx never reads half a file
fs.writeFileSync(`${file}.new`, shareFileText(share))
fs.renameSync(`${file}.new`, file)
try {
  run(['-t', '-q'])
} catch {
  if (before === undefined) fs.rmSync(file)
  else fs.writeFileSync(file, before)
  console.error(`nginx refused the configuration; ${file} is back as it was and nothing was reloaded`)
  process.exit(1)
}
run(['-s', 'reload'])
console.log(`new release share: ${before === undefined ? 'none' : `${readShare(before)}%`} → ${share}% (${file}); nginx reloaded`)
