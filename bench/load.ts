// The load process: runs the scenarios of a spec file concurrently with autocannon,
// apart from the servers it measures, and prints one JSON line of results.
//   node --import tsx bench/load.ts <spec.json>
// Latency percentiles come from every response's own timing (autocannon's
// histogram keeps whole milliseconds only, too coarse for a 2 ms call).
import fs from 'node:fs'
import autocannon from 'autocannon'
import { ARRANGEMENT_TYPE, RPC, type LoadResult, type Scenario } from './load-spec'
import { confirmRequest, confirmSucceeded } from './sign-confirm-request'

const HEADERS = { 'content-type': 'application/json' }
const OK = '"code":"00"'

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]
}

/** Answers judged by their headers (the confirm's redirect), not by a business code in the body. */
type HeaderCheck = { failed: number; failures: string[] }

function options(s: Scenario, check: HeaderCheck): autocannon.Options {
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
    case 'sign-create': {
      let next = 0
      const headers = { ...HEADERS, authorization: s.authorization }
      return {
        ...common,
        headers,
        requests: [
          {
            method: 'POST',
            path: RPC.createSignRequest,
            headers,
            setupRequest: (req) => {
              const n = next++
              const body = { productCode: s.productCodes[n % s.productCodes.length], propertyValues: s.propertyValues, merchantReference: `${s.referencePrefix}-${n}`, returnUrl: s.returnUrl }
              return { ...req, body: JSON.stringify(body) }
            },
          },
        ],
      }
    }
    case 'sign-confirm': {
      let next = 0
      const origin = new URL(s.url).origin
      return {
        ...common,
        requests: [
          {
            method: 'POST',
            // past the last prepared request, confirms repeat and fail (counted): the dataset makes more than a phase uses
            setupRequest: (req) => {
              const c = s.confirms[next++ % s.confirms.length]
              return { ...req, ...confirmRequest(origin, s.cookies[c.signer], c.token) }
            },
            onResponse: (status, body) => {
              if (confirmSucceeded(status, String(body ?? ''))) return
              check.failed++
              if (check.failures.length < 3) check.failures.push(`${status} ${String(body ?? '').slice(0, 300)}`)
            },
          },
        ],
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
  const check: HeaderCheck = { failed: 0, failures }
  const verifyBody = s.kind === 'sign-confirm' ? undefined : (body: string | Buffer | undefined) => String(body ?? '').includes(OK)
  return new Promise((resolve, reject) => {
    const instance = autocannon({ ...options(s, check), verifyBody }, (error, result) => {
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
        notOk: result.mismatches + check.failed,
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
