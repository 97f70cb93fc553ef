// The run's results: one printed table, the same as JSON, and an SVG chart.
import type { Plan } from './explain'
import type { LoadResult } from './load-spec'
import type { PageWeight, RenderTiming } from './pages'
import type { RoundTrips } from './round-trips'

export type Measured = LoadResult & {
  /** the server's own CPU per answered request, and its database backends' */
  cpuMsPerRequest: number
  dbCpuMsPerRequest: number
  /**
   * Shares of the machine's CPU time during the phase: left idle, stolen by the
   * hypervisor, and used by processes other than this server, its database
   * backends and the load process (other work on the machine)
   */
  idlePct: number
  stealPct: number
  othersPct: number
}

/** `app`, `floor` and `alt`: each server's best round; `rounds`: every round's requests per second, in order */
export type Comparison = {
  scenario: string
  label: string
  app: Measured
  floor: Measured
  alt?: Measured
  rounds?: { app: number[]; floor: number[]; alt?: number[] }
  roundTrips?: { app: number; floor: number }
}

export type Target = { name: string; target: string; value: string; met: boolean }

export type Results = {
  startedAt: string
  finishedAt?: string
  machine: { cores: number; node: string; postgres: string; cpu: string }
  options: Record<string, unknown>
  build: { id: string; serverBuiltAt: string }
  dataset: { rows: Record<string, Record<string, number>>; timings: Record<string, number> }
  comparisons: Comparison[]
  loginProbe?: { alone: { app: Measured; floor: Measured }; duringLogin: { app: Measured; floor: Measured }; requestedRate: number }
  argon2?: {
    cores: number
    hashesPerSecond: number
    byInFlight: Record<string, number>
    msPerHash: number
    noisePct?: number
    /** every measurement of the limit; the figures above are the highest one's */
    measurements?: { when: string; hashesPerSecond: number; noisePct: number }[]
  }
  growth?: { smallRows: number; largeRows: number; app: { small: number; large: number; ratio: number }; floor: { small: number; large: number; ratio: number } }
  roundTrips?: { app: RoundTrips; floor: RoundTrips }
  plans?: Plan[]
  pages?: PageWeight[]
  render?: RenderTiming | { skipped: string }
  targets: Target[]
  profile?: Record<string, string[]>
  /** the measured windows (monotonic µs) the profile summaries cover, per server */
  profileWindows?: Record<string, { label: string; from: number; to: number }[]>
  phaseSeconds: Record<string, number>
}

const f0 = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '–')
const f1 = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : '–')
const f2 = (n: number) => (Number.isFinite(n) ? n.toFixed(2) : '–')
// kB = 1000 bytes, as Next's build output counted them
const kb = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`

function table(header: string[], rows: string[][], alignLeft = 1): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)))
  const line = (cells: string[]) => cells.map((c, i) => (i < alignLeft ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ')
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n')
}

const failures = (m: Measured) => m.notOk + m.non2xx + m.errors

export function formatText(r: Results): string {
  const out: string[] = []
  const rows = r.dataset.rows
  out.push(
    `fcdeduction benchmark · ${r.options.size} · ${r.machine.cores} cores · ${r.machine.cpu} · Node ${r.machine.node} · ${r.machine.postgres}`,
    `dataset: ${Object.entries(rows.stage2 ?? rows.stage1).map(([t, n]) => `${t} ${f0(n)}`).join(', ')}`,
    `load: ${r.options.connections} connections, ${r.options.duration} s per phase after ${r.options.warmup} s warm-up, ${Number(r.options.rounds ?? 1) > 1 ? `each server's best of ${r.options.rounds} rounds taken in turn` : 'one round'}; pool ${r.options.poolSize} (app and floor); app LOG_LEVEL=${r.options.logLevel}`,
    '',
  )
  const noise = r.comparisons.flatMap((c) => [c.app, c.floor]).map((m) => m.stealPct + m.othersPct)
  const meanNoise = noise.reduce((a, b) => a + b, 0) / (noise.length || 1)
  if (meanNoise > 20) {
    out.push(
      `NOTE: other processes (or the hypervisor) took ${f0(meanNoise)}% of the machine's CPU on average during the phases:`,
      'absolute figures are depressed and the ratios less steady than on a quiet machine; compare runs by their noise column.',
      '',
    )
  }
  out.push(
    table(
      ['call', 'app req/s', 'floor req/s', 'ratio', 'app p50', 'app p99', 'floor p50', 'floor p99', 'p99 ×', 'round trips', 'CPU ms/req', 'DB CPU ms/req', 'noise %', 'fails'],
      r.comparisons.map((c) => [
        c.label,
        f0(c.app.rps),
        f0(c.floor.rps),
        `${f0((100 * c.app.rps) / c.floor.rps)}%`,
        f1(c.app.p50),
        f1(c.app.p99),
        f1(c.floor.p50),
        f1(c.floor.p99),
        f2(c.app.p99 / c.floor.p99),
        c.roundTrips ? `${c.roundTrips.app} / ${c.roundTrips.floor}` : '',
        `${f2(c.app.cpuMsPerRequest)} / ${f2(c.floor.cpuMsPerRequest)}`,
        `${f2(c.app.dbCpuMsPerRequest)} / ${f2(c.floor.dbCpuMsPerRequest)}`,
        `${f0(c.app.stealPct + c.app.othersPct)} / ${f0(c.floor.stealPct + c.floor.othersPct)}`,
        `${failures(c.app)} / ${failures(c.floor)}`,
      ]),
    ),
    '  latency in ms; ratio = app / floor throughput; p99 × = app p99 / floor p99; the pairs are app / floor: round trips per call,',
    '  CPU of the server process and of its PostgreSQL backends per request; noise = share of the machine\'s CPU that was stolen',
    '  by the hypervisor or used by other processes during the phase; fails = answers not code 00, non-2xx or connection errors',
    '',
  )
  const ab = r.comparisons.filter((c) => c.alt)
  if (ab.length) {
    out.push(
      `A/B: app = ${r.options.appServer}, B = ${r.options.compareServer}`,
      table(
        ['call', 'app req/s', 'B req/s', 'B / app', 'app p50', 'B p50', 'app p99', 'B p99', 'CPU ms/req app / B', 'B / floor'],
        ab.map((c) => {
          const b = c.alt as Measured
          return [c.label, f0(c.app.rps), f0(b.rps), `${f2(b.rps / c.app.rps)}×`, f1(c.app.p50), f1(b.p50), f1(c.app.p99), f1(b.p99), `${f2(c.app.cpuMsPerRequest)} / ${f2(b.cpuMsPerRequest)}`, `${f0((100 * b.rps) / c.floor.rps)}%`]
        }),
      ),
      '',
    )
  }
  if (r.argon2) {
    const login = r.comparisons.find((c) => c.scenario === 'login')
    out.push(
      `password-hash limit: ${f1(r.argon2.hashesPerSecond)} argon2id verifications/s on ${r.argon2.cores} cores (m=19456 t=2 p=1; ${f1(r.argon2.msPerHash)} ms each alone; by calls in flight: ${Object.entries(r.argon2.byInFlight).map(([n, v]) => `${n}→${f1(v)}`).join(', ')}; noise ${f0(r.argon2.noisePct ?? NaN)}%)`,
      ...(r.argon2.measurements && r.argon2.measurements.length > 1
        ? [`  the higher of ${r.argon2.measurements.map((m) => `${f1(m.hashesPerSecond)}/s ${m.when} the login phase (noise ${f0(m.noisePct)}%)`).join(' and ')}`]
        : []),
    )
    if (login) out.push(`login: app ${f1(login.app.rps)}/s = ${f0((100 * login.app.rps) / r.argon2.hashesPerSecond)}% of the limit; floor ${f1(login.floor.rps)}/s = ${f0((100 * login.floor.rps) / r.argon2.hashesPerSecond)}%`)
  }
  if (r.loginProbe) {
    const p = r.loginProbe
    out.push(
      `a list call every ${f0(1000 / p.requestedRate)} ms beside the login load: app p50 ${f1(p.duringLogin.app.p50)} p99 ${f1(p.duringLogin.app.p99)} ms at ${f1(p.duringLogin.app.rps)}/s (alone: p50 ${f1(p.alone.app.p50)} p99 ${f1(p.alone.app.p99)}); floor p50 ${f1(p.duringLogin.floor.p50)} p99 ${f1(p.duringLogin.floor.p99)} (alone ${f1(p.alone.floor.p50)} / ${f1(p.alone.floor.p99)})`,
    )
  }
  if (r.growth) {
    const g = r.growth
    out.push(
      `growth (list first page p50, same 60-relation users): ${f0(g.smallRows)} rows → ${f0(g.largeRows)} rows: app ${f2(g.app.small)} → ${f2(g.app.large)} ms (×${f2(g.app.ratio)}), floor ${f2(g.floor.small)} → ${f2(g.floor.large)} ms (×${f2(g.floor.ratio)})`,
    )
  }
  out.push('')
  if (r.roundTrips) {
    out.push(
      table(
        ['round trips per call', 'app', 'floor', 'app messages'],
        Object.keys(r.roundTrips.app).map((k) => [
          k,
          String(r.roundTrips!.app[k].roundTrips),
          String(r.roundTrips!.floor[k]?.roundTrips ?? ''),
          Object.entries(r.roundTrips!.app[k].messages).map(([t, n]) => `${t}×${n}`).join(' '),
        ]),
      ),
      '  (S = Sync, Q = simple Query: one round trip each; plus one UPDATE at most once a minute per session: the last_seen touch)',
      '',
    )
  }
  if (r.plans) {
    out.push(
      table(
        ['query plan', 'exec ms', 'index-selective', 'seq scans', 'rows filtered out'],
        r.plans.map((p) => [p.name, f2(p.ms), p.usesIndexes ? 'yes' : 'NO', p.seqScans.join(', ') || '–', f0(p.rowsDiscarded)]),
      ),
      '  (de_ar, de_merchant and de_merchant_credential hold a handful of rows: a sequential scan of them is the cheapest plan; full plans in plans.txt)',
      '',
    )
  }
  if (r.pages) {
    out.push(table(['page', 'first-load JS (gzip)', 'files'], r.pages.map((p) => [p.route, kb(p.gzipBytes), String(p.files)])), '')
  }
  if (r.render) {
    if ('skipped' in r.render) out.push(`render of /services: skipped (${r.render.skipped})`)
    else {
      const t = r.render
      out.push(
        `render of /services (headless Chromium, median of ${t.loads} warm loads): TTFB ${f0(t.ttfb)} ms, FCP ${f0(t.fcp)} ms, DOMContentLoaded ${f0(t.domContentLoaded)} ms, load ${f0(t.load)} ms; JS fetched on a cold load: ${t.observedFirstLoadJs.files} files, ${kb(t.observedFirstLoadJs.gzipBytes)} gzip`,
      )
    }
    out.push('')
  }
  out.push(table(['target', 'wanted', 'measured', ''], r.targets.map((t) => [t.name, t.target, t.value, t.met ? 'met' : 'MISSED'])))
  if (r.profile) {
    for (const [name, lines] of Object.entries(r.profile)) out.push('', `CPU profile, ${name}:`, ...lines.map((l) => `  ${l}`))
  }
  return out.join('\n')
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

/** Two panels: throughput and p99 latency, app beside floor, one row per call. */
export function formatSvg(r: Results): string {
  const rows = r.comparisons
  const rowH = 44
  const top = 56
  const labelW = 250
  const panelW = 330
  const gap = 60
  const width = labelW + 2 * panelW + gap + 40
  const height = top + rows.length * rowH + 50
  const maxRps = Math.max(...rows.flatMap((c) => [c.app.rps, c.floor.rps]))
  const maxP99 = Math.max(...rows.flatMap((c) => [c.app.p99, c.floor.p99]))
  const parts: string[] = []
  const bar = (x: number, y: number, w: number, color: string, text: string) =>
    `<rect x="${x}" y="${y}" width="${Math.max(1, w).toFixed(1)}" height="14" fill="${color}"/><text x="${(x + Math.max(1, w) + 4).toFixed(1)}" y="${y + 11}" font-size="11">${esc(text)}</text>`
  parts.push(
    `<text x="12" y="22" font-size="15" font-weight="bold">fcdeduction · ${esc(String(r.options.size))} dataset · ${r.options.connections} clients · ${r.machine.cores} cores</text>`,
    `<text x="${labelW}" y="44" font-size="12" font-weight="bold">throughput (req/s)</text>`,
    `<text x="${labelW + panelW + gap}" y="44" font-size="12" font-weight="bold">p99 latency (ms, log scale)</text>`,
  )
  rows.forEach((c, i) => {
    const y = top + i * rowH
    parts.push(`<text x="12" y="${y + 20}" font-size="12">${esc(c.label)}</text>`)
    parts.push(`<text x="12" y="${y + 34}" font-size="10" fill="#555">app/floor ${Math.round((100 * c.app.rps) / c.floor.rps)}%, p99 ×${(c.app.p99 / c.floor.p99).toFixed(2)}</text>`)
    const scaleR = (panelW - 70) / maxRps
    // log scale from 1 ms: login's seconds would flatten every other bar
    const logW = (ms: number) => ((panelW - 70) * Math.log10(Math.max(1, ms))) / Math.log10(Math.max(10, maxP99))
    parts.push(bar(labelW, y + 4, c.app.rps * scaleR, '#2563eb', Math.round(c.app.rps).toString()))
    parts.push(bar(labelW, y + 20, c.floor.rps * scaleR, '#9ca3af', Math.round(c.floor.rps).toString()))
    parts.push(bar(labelW + panelW + gap, y + 4, logW(c.app.p99), '#2563eb', c.app.p99.toFixed(1)))
    parts.push(bar(labelW + panelW + gap, y + 20, logW(c.floor.p99), '#9ca3af', c.floor.p99.toFixed(1)))
  })
  const ly = top + rows.length * rowH + 20
  parts.push(
    `<rect x="${labelW}" y="${ly}" width="12" height="12" fill="#2563eb"/><text x="${labelW + 16}" y="${ly + 10}" font-size="11">app (dist/server.js)</text>`,
    `<rect x="${labelW + 160}" y="${ly}" width="12" height="12" fill="#9ca3af"/><text x="${labelW + 176}" y="${ly + 10}" font-size="11">floor (node:http + pg, same SQL)</text>`,
  )
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif"><rect width="100%" height="100%" fill="white"/>${parts.join('')}</svg>\n`
}
