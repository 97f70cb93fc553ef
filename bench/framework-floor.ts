// The first-load JS that Next.js and React alone cost a page: builds an empty App Router app
// (a root layout and one page, no client component, nothing imported) with this project's
// Next.js and weighs its page as `npm run bench:pages` weighs ours (bench/pages.ts). No page of
// the app can weigh less, so a budget under this figure cannot be met by the app's own code.
// `--webpack` builds it with webpack instead of Turbopack.
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { FLOOR_FILE, pageWeights, type FrameworkFloor } from './pages'

const DIR = path.dirname(path.resolve(FLOOR_FILE))
const bundler = process.argv.includes('--webpack') ? 'webpack' : 'turbopack'

const files: Record<string, string> = {
  'next.config.mjs': `export default { poweredByHeader: false, turbopack: { root: ${JSON.stringify(process.cwd())} } }\n`,
  'app/layout.jsx': 'export default function RootLayout({ children }) {\n  return <html lang="en"><body>{children}</body></html>\n}\n',
  'app/page.jsx': 'export default function Page() {\n  return <p>empty</p>\n}\n',
}
fs.rmSync(DIR, { recursive: true, force: true })
for (const [name, text] of Object.entries(files)) {
  fs.mkdirSync(path.dirname(path.join(DIR, name)), { recursive: true })
  fs.writeFileSync(path.join(DIR, name), text)
}

const next = path.resolve('node_modules/next/dist/bin/next')
const build = spawnSync(process.execPath, [next, 'build', ...(bundler === 'webpack' ? ['--webpack'] : [])], {
  cwd: DIR,
  env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
  encoding: 'utf8',
})
if (build.status !== 0) {
  console.error(build.stdout, build.stderr)
  console.error(`the empty app did not build (exit ${build.status})`)
  process.exit(2)
}

const [page] = pageWeights(path.join(DIR, '.next')).filter((w) => w.route === '/')
if (!page) {
  console.error('the empty app built no page "/"')
  process.exit(2)
}
const kb = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`
const version = (JSON.parse(fs.readFileSync(path.resolve('node_modules/next/package.json'), 'utf8')) as { version: string }).version
// the browser gets the React that Next.js bundles (next/dist/compiled), not the one in package.json
console.log(`empty page, Next.js ${version} (${bundler}) and its React: ${kb(page.gzipBytes)} gzip  ${kb(page.rawBytes)} raw  ${page.files} files`)
const floor: FrameworkFloor = { next: version, bundler, gzipBytes: page.gzipBytes }
fs.writeFileSync(FLOOR_FILE, JSON.stringify(floor))
