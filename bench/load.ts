// The load process: runs the scenarios of a spec file concurrently with autocannon,
// apart from the servers it measures, and prints one JSON line of results.
//   node --import tsx bench/load.ts <spec.json>
// Latency percentiles come from every response's own timing (autocannon's
// histogram keeps whole milliseconds only, too coarse for a 2 ms call).
import fs from 'node:fs'
import autocannon from 'autocannon'
import { ARRANGEMENT_TYPE, RPC, type LoadResult, type Scenario } from './load-spec'

const HEADERS = { 'content-type': 'application/json' }
const OK = '"code":"00"'

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]
}

function options(s: Scenario): autocannon.Options {
  const common = { url: s.url, connections: s.connections, duration: s.duration, overallRate: s.overallRate, method: 'POST' as const, headers: HEADERS }
  switch (s.kind) {
    case 'list': {
      let next = 0
      return {
        ...common,
        url: s.url + RPC.list,
        setupClient: (client) => {
          const c = s.callers[next++ % s.callers.length]
          client.setBody(JSON.stringify({ token: c.token, arrangementType: ARRANGEMENT_TYPE, userId: c.userId, pageToken: c.pageToken }))
        },
      }
    }
    case 'open-close': {
      let next = 0
      return {
        ...common,
        setupClient: (client) => {
          const c = s.callers[next++ % s.callers.length]
          const body = JSON.stringify({ token: c.token, arrangementType: ARRANGEMENT_TYPE, productCode: s.productCode, userId: c.userId })
          client.setRequests([
            { method: 'POST', path: RPC.open, headers: HEADERS, body },
            { method: 'POST', path: RPC.close, headers: HEADERS, body },
          ])
        },
      }
    }
    case 'catalogue': {
      let next = 0
      return {
        ...common,
        url: s.url + RPC.catalogue,
        setupClient: (client) => {
          const c = s.callers[next++ % s.callers.length]
          client.setBody(JSON.stringify({ token: c.token, arrangementType: ARRANGEMENT_TYPE, userId: c.userId }))
        },
      }
    }
    case 'detail': {
      let next = 0
      return {
        ...common,
        url: s.url + RPC.detail,
        setupClient: (client) => {
          const c = s.callers[next++ % s.callers.length]
          client.setBody(JSON.stringify({ token: c.token, arrangementType: ARRANGEMENT_TYPE, productCode: c.productCode, userId: c.userId }))
        },
      }
    }
    case 'merchant-query': {
      let next = 0
      return {
        ...common,
        url: s.url + RPC.merchantQuery,
        headers: { ...HEADERS, authorization: s.authorization },
        setupClient: (client) => {
          const c = s.callers[next++ % s.callers.length]
          client.setBody(JSON.stringify({ arrangementType: ARRANGEMENT_TYPE, productCode: c.productCode, userId: c.userId }))
        },
      }
    }
    case 'login': {
      let next = 0
      return {
        ...common,
        requests: [
          {
            method: 'POST',
            path: RPC.login,
            headers: HEADERS,
            setupRequest: (req) => ({ ...req, body: JSON.stringify(s.logins[next++ % s.logins.length]) }),
          },
        ],
      }
    }
  }
}

function run(s: Scenario): Promise<Omit<LoadResult, 'loaderCpuSeconds'>> {
  const latencies: number[] = []
  const failures: string[] = []
  return new Promise((resolve, reject) => {
    const instance = autocannon({ ...options(s), verifyBody: (body) => String(body ?? '').includes(OK) }, (error, result) => {
      if (error) return reject(error)
      const sorted = Float64Array.from(latencies).sort()
      const seconds = result.duration
      resolve({
        name: s.name,
        requests: latencies.length,
        seconds,
        rps: latencies.length / seconds,
        p50: percentile(sorted, 50),
        p90: percentile(sorted, 90),
        p99: percentile(sorted, 99),
        max: sorted.length ? sorted[sorted.length - 1] : NaN,
        mean: latencies.reduce((a, b) => a + b, 0) / (latencies.length || 1),
        errors: result.errors,
        timeouts: result.timeouts,
        non2xx: result.non2xx,
        notOk: result.mismatches,
        failures,
      })
    })
    instance.on('response', (_client, _status, _bytes, responseTime: number) => latencies.push(responseTime))
    // mismatches: answers that are not business successes (code ≠ 00); a few kept to show why
    ;(instance as NodeJS.EventEmitter).on('reqMismatch', (body: string) => {
      if (failures.length < 3) failures.push(body.slice(0, 300))
    })
  })
}

const specFile = process.argv[2]
if (!specFile) throw new Error('usage: load.ts <spec.json>')
const scenarios = JSON.parse(fs.readFileSync(specFile, 'utf8')) as Scenario[]
const cpu0 = process.cpuUsage()
const results = await Promise.all(scenarios.map(run))
const cpu = process.cpuUsage(cpu0)
const loaderCpuSeconds = (cpu.user + cpu.system) / 1e6
process.stdout.write(JSON.stringify(results.map((r) => ({ ...r, loaderCpuSeconds }))) + '\n')
