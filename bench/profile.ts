// Summarises a V8 .cpuprofile (node --cpu-prof) over chosen time windows — the
// measured load phases, not start-up — as self time by package and by function.
// Sample times and the windows are both CLOCK_MONOTONIC microseconds
// (V8's profile clock and process.hrtime), so windows taken in the orchestrator apply.
import fs from 'node:fs'
import path from 'node:path'

type ProfileNode = { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }
type Profile = { nodes: ProfileNode[]; startTime: number; endTime: number; samples: number[]; timeDeltas: number[] }

export type Window = { label: string; from: number; to: number }

/** Now, in the profile's clock (microseconds). */
export const profileClock = () => Number(process.hrtime.bigint() / 1000n)

function owner(url: string): string {
  if (!url) return '(native, gc)'
  const at = url.lastIndexOf('node_modules/')
  if (at >= 0) {
    const rest = url.slice(at + 'node_modules/'.length).split('/')
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]
  }
  if (url.startsWith('node:')) return 'node core'
  if (url.includes('/.next/')) return 'app (.next bundle)'
  if (url.includes('/dist/')) return 'app (dist/server.js)'
  return path.basename(url)
}

/** The main thread's profile in a folder (a loader thread may write one too: the biggest wins). */
export function findProfile(dir: string): string | undefined {
  if (!fs.existsSync(dir)) return undefined
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')).map((f) => path.join(dir, f))
  return files.sort((a, b) => fs.statSync(b).size - fs.statSync(a).size)[0]
}

export function summariseProfile(file: string, windows: Window[], top = 10): Record<string, string[]> {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]))
  const out: Record<string, string[]> = {}
  for (const w of windows) {
    const byOwner = new Map<string, number>()
    const byFunction = new Map<string, number>()
    let busy = 0
    let idle = 0
    let t = profile.startTime
    for (let i = 0; i < profile.samples.length; i++) {
      t += profile.timeDeltas[i]
      if (t < w.from || t > w.to) continue
      const n = nodes.get(profile.samples[i])
      if (!n) continue
      if (n.callFrame.functionName === '(idle)') {
        idle++
        continue
      }
      busy++
      const o = owner(n.callFrame.url)
      byOwner.set(o, (byOwner.get(o) ?? 0) + 1)
      const fn = `${n.callFrame.functionName || '(anonymous)'} · ${o}:${n.callFrame.lineNumber + 1}`
      byFunction.set(fn, (byFunction.get(fn) ?? 0) + 1)
    }
    const pct = (h: number) => `${((100 * h) / (busy || 1)).toFixed(1).padStart(5)}%`
    const sorted = (m: Map<string, number>) => [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, top)
    out[w.label] = [
      `main thread busy ${Math.round((100 * busy) / (busy + idle || 1))}% of the window; self time by package:`,
      ...sorted(byOwner).map(([k, h]) => `  ${pct(h)}  ${k}`),
      'by function:',
      ...sorted(byFunction).map(([k, h]) => `  ${pct(h)}  ${k}`),
    ]
  }
  return out
}
