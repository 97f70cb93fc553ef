// Page weight from the build, and the time to render "my services" in Chromium.
// First-load JS of a route = the chunks Next's build lists for it in
// .next/diagnostics/route-bundle-stats.json (else: the root main files plus the
// chunks its client-reference manifest lists for its layout, page and
// boundaries), each gzipped at level 9, as Next's former size report did.
import fs from 'node:fs'
import path from 'node:path'
import zlib from 'node:zlib'
import { DEMO_USERS } from '@/lib/admin/seed-data'

export type PageWeight = { route: string; files: number; gzipBytes: number; rawBytes: number }

const NEXT = '.next'

/** The last `npm run bench:floor`: what an empty page of the same Next.js weighs. */
export type FrameworkFloor = { next: string; bundler: string; gzipBytes: number }
// the empty app it builds lives here: git- and lint-ignored (.next*), and inside the project,
// since Turbopack compiles nothing outside its root and node_modules is here
export const FLOOR_FILE = '.next-floor/floor.json'

export function frameworkFloor(): FrameworkFloor | undefined {
  return fs.existsSync(FLOOR_FILE) ? (JSON.parse(fs.readFileSync(FLOOR_FILE, 'utf8')) as FrameworkFloor) : undefined
}

const gzipCache = new Map<string, { gz: number; raw: number }>()

function sizeOf(file: string, nextDir: string) {
  const key = path.join(nextDir, file)
  let size = gzipCache.get(key)
  if (!size) {
    const content = fs.readFileSync(key)
    size = { gz: zlib.gzipSync(content, { level: 9 }).length, raw: content.length }
    gzipCache.set(key, size)
  }
  return size
}

function clientManifest(pageKey: string, nextDir: string): { entryJSFiles?: Record<string, string[]> } | undefined {
  const file = path.join(nextDir, 'server', 'app', `${pageKey}_client-reference-manifest.js`)
  if (!fs.existsSync(file)) return undefined
  const sandbox = { __RSC_MANIFEST: {} as Record<string, unknown> }
  new Function('globalThis', fs.readFileSync(file, 'utf8'))(sandbox)
  return sandbox.__RSC_MANIFEST[pageKey] as { entryJSFiles?: Record<string, string[]> }
}

/** Files given relative to the build directory `nextDir`. */
export function weighFiles(files: Iterable<string>, nextDir = NEXT) {
  let gzipBytes = 0
  let rawBytes = 0
  let count = 0
  for (const f of files) {
    const s = sizeOf(f, nextDir)
    gzipBytes += s.gz
    rawBytes += s.raw
    count++
  }
  return { files: count, gzipBytes, rawBytes }
}

type RouteStats = { route: string; firstLoadChunkPaths: string[] }[]

/** First-load JS of every app page of the build in `nextDir` (the app's own build by default). */
export function pageWeights(nextDir = NEXT): PageWeight[] {
  const statsFile = path.join(nextDir, 'diagnostics', 'route-bundle-stats.json')
  if (fs.existsSync(statsFile)) {
    const stats = JSON.parse(fs.readFileSync(statsFile, 'utf8')) as RouteStats
    // the listed paths start with the build directory as its project named it: keep `static/…`
    return stats
      .filter((s) => !s.route.startsWith('/_') && !s.route.startsWith('/api/'))
      .map((s) => ({ route: s.route, ...weighFiles(s.firstLoadChunkPaths.map((p) => p.slice(p.indexOf('static/'))), nextDir) }))
      .sort((a, b) => a.route.localeCompare(b.route))
  }
  const build = JSON.parse(fs.readFileSync(path.join(nextDir, 'build-manifest.json'), 'utf8')) as { rootMainFiles: string[] }
  const routes = JSON.parse(fs.readFileSync(path.join(nextDir, 'app-path-routes-manifest.json'), 'utf8')) as Record<string, string>
  const weights: PageWeight[] = []
  for (const [key, route] of Object.entries(routes)) {
    if (!key.endsWith('/page') || route.startsWith('/_')) continue
    const manifest = clientManifest(key, nextDir)
    const files = new Set(build.rootMainFiles)
    for (const chunks of Object.values(manifest?.entryJSFiles ?? {})) for (const c of chunks) files.add(c)
    weights.push({ route, ...weighFiles(files, nextDir) })
  }
  return weights.sort((a, b) => a.route.localeCompare(b.route))
}

export type RenderTiming = {
  loads: number
  /** medians, milliseconds from navigation start */
  ttfb: number
  fcp: number
  domContentLoaded: number
  load: number
  /** the JS files the browser fetched on its first load of /services, weighed as above */
  observedFirstLoadJs: { files: number; gzipBytes: number }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

/** Signs in through the login form as the first demo user, then loads /services repeatedly. */
export async function renderServices(base: string, loads = 9): Promise<RenderTiming> {
  const { chromium } = await import('@playwright/test')
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-quic', '--disable-dev-shm-usage'],
  })
  try {
    const context = await browser.newContext({ locale: 'zh-CN' })
    const page = await context.newPage()
    const demo = DEMO_USERS[0]
    await page.goto(`${base}/login`)
    await page.fill('input[name=email]', demo.email)
    await page.fill('input[name=password]', demo.password)
    await page.click('[data-testid=login-submit]')
    await page.waitForURL((url) => !url.pathname.startsWith('/login'), { timeout: 30_000 })

    // a cold browser cache with the signed-in cookie: what a first visit fetches
    const cold = await browser.newContext({ locale: 'zh-CN', storageState: await context.storageState() })
    const coldPage = await cold.newPage()
    const scripts = new Set<string>()
    coldPage.on('response', (res) => {
      const u = new URL(res.url())
      if (u.pathname.startsWith('/_next/static/') && u.pathname.endsWith('.js')) scripts.add(u.pathname.slice('/_next/'.length))
    })
    await coldPage.goto(`${base}/services`, { waitUntil: 'load' })
    coldPage.removeAllListeners('response')
    await cold.close()

    const samples: { ttfb: number; fcp: number; dcl: number; load: number }[] = []
    for (let i = 0; i < loads; i++) {
      await page.goto(`${base}/services`, { waitUntil: 'load' })
      if (new URL(page.url()).pathname !== '/services') throw new Error(`/services redirected to ${page.url()}`)
      const t = await page.evaluate(() => {
        const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming
        const fcp = performance.getEntriesByName('first-contentful-paint')[0]
        return { ttfb: nav.responseStart, fcp: fcp ? fcp.startTime : NaN, dcl: nav.domContentLoadedEventEnd, load: nav.loadEventEnd }
      })
      if (i > 0) samples.push(t) // the first load fills the browser cache
    }
    const observed = weighFiles([...scripts].filter((f) => fs.existsSync(path.join(NEXT, f))))
    return {
      loads: samples.length,
      ttfb: median(samples.map((s) => s.ttfb)),
      fcp: median(samples.map((s) => s.fcp)),
      domContentLoaded: median(samples.map((s) => s.dcl)),
      load: median(samples.map((s) => s.load)),
      observedFirstLoadJs: { files: observed.files, gzipBytes: observed.gzipBytes },
    }
  } finally {
    await browser.close()
  }
}
