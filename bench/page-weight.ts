// First-load JS of every page of the last `npm run build`, weighed as the benchmark does
// (bench/pages.ts), without starting anything. `--max <bytes>` (default 130000, the budget
// in docs/operations.md#benchmarks) makes it exit non-zero when a page is heavier.
import { frameworkFloor, pageWeights } from './pages'

const flag = process.argv.indexOf('--max')
const max = flag >= 0 ? Number(process.argv[flag + 1]) : 130_000
if (!Number.isFinite(max) || max <= 0) {
  console.error(`--max needs a positive number of bytes, got "${process.argv[flag + 1] ?? ''}"`)
  process.exit(2)
}

const weights = pageWeights()
if (weights.length === 0) {
  console.error('no pages found in .next: run `npm run build` first')
  process.exit(2)
}
const kb = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`
const width = Math.max(...weights.map((w) => w.route.length))
for (const w of weights) {
  const over = w.gzipBytes > max ? '  over budget' : ''
  console.log(`${w.route.padEnd(width)}  ${kb(w.gzipBytes).padStart(9)} gzip  ${kb(w.rawBytes).padStart(9)} raw  ${String(w.files).padStart(2)} files${over}`)
}
const heavy = weights.filter((w) => w.gzipBytes > max)
console.log(`budget ${kb(max)} gzip per page: ${heavy.length === 0 ? 'every page within it' : `${heavy.length} page(s) over`}`)
const floor = frameworkFloor()
if (floor) {
  const own = weights.map((w) => w.gzipBytes - floor.gzipBytes)
  console.log(`an empty page of Next.js ${floor.next} (${floor.bundler}) weighs ${kb(floor.gzipBytes)} (npm run bench:floor): the app adds ${kb(Math.min(...own))}–${kb(Math.max(...own))}`)
}
process.exit(heavy.length === 0 ? 0 : 1)
