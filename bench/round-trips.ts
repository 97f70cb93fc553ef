// Database round trips per call: the app (and the floor) run against the counting
// proxy, and each call is made alone, so the count moved between two answers is that
// call's. A warm-up call first: the once-a-minute last_seen touch (one more UPDATE)
// then falls outside the measured calls and is reported separately.
import { benchProductCode, SIGN_PROPOSED_VALUES, SIGN_RETURN_URL, type Dataset } from './dataset'
import { ARRANGEMENT_TYPE, RPC, type SignConfirm } from './load-spec'
import type { CountingProxy } from './pg-proxy'
import { confirmRequest, confirmSucceeded } from './sign-confirm-request'

export type RoundTrips = Record<string, { roundTrips: number; messages: Record<string, number> }>

const REPEATS = 5

async function call(base: string, path: string, body: unknown, authorization?: string): Promise<string> {
  const headers = { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) }
  const res = await fetch(base + path, { method: 'POST', headers, body: JSON.stringify(body) })
  const text = await res.text()
  if (!text.includes('"code":"00"')) throw new Error(`${path} did not succeed: ${res.status} ${text.slice(0, 200)}`)
  return text
}

/** The sign page's confirm, posted as the browser posts it; it succeeds with a redirect to the merchant, not a code. */
async function confirm(base: string, cookie: string, token: string): Promise<void> {
  const r = confirmRequest(new URL(base).origin, cookie, token)
  const res = await fetch(base + r.path, { method: r.method, headers: r.headers, body: r.body, redirect: 'manual' })
  const text = await res.text()
  if (!confirmSucceeded(res.status, text)) throw new Error(`the sign page's confirm did not succeed: ${res.status} ${text.slice(0, 200)}`)
}

function delta(before: Record<string, number>, after: Record<string, number>) {
  const d: Record<string, number> = {}
  for (const k of Object.keys(after)) if (after[k] !== (before[k] ?? 0)) d[k] = after[k] - (before[k] ?? 0)
  return d
}

/** The confirms' pending sign requests (more than REPEATS) and their users' session cookies. */
export type SignConfirms = { cookies: string[]; confirms: SignConfirm[] }

export async function countRoundTrips(base: string, proxy: CountingProxy, data: Dataset, productCode: string, loginOffset: number, sign: SignConfirms): Promise<RoundTrips> {
  const list = data.listCallers[1]
  const deep = data.deepCallers[1]
  const oc = data.openCloseCallers[1]
  const listBody = { token: list.token, arrangementType: ARRANGEMENT_TYPE, userId: list.userId }
  const deepBody = { token: deep.token, arrangementType: ARRANGEMENT_TYPE, userId: deep.userId, pageToken: deep.pageToken }
  const ocBody = { token: oc.token, arrangementType: ARRANGEMENT_TYPE, productCode, userId: oc.userId }
  const logins = data.logins.slice(-(loginOffset + REPEATS + 1), data.logins.length - loginOffset)
  const terms = data.termsCallers[1]
  const detailBody = { token: terms.token, arrangementType: ARRANGEMENT_TYPE, productCode: terms.productCode, userId: terms.userId }

  const reference = `bench-round-trips-${new URL(base).port}`
  const createBody = (i: number) => ({ productCode: benchProductCode(i + 1), propertyValues: SIGN_PROPOSED_VALUES, merchantReference: `${reference}-${i}`, returnUrl: SIGN_RETURN_URL })
  const signConfirm = (i: number) => {
    const c = sign.confirms[i]
    return confirm(base, sign.cookies[c.signer], c.token)
  }

  type Call = { name: string; path: string; body: (i: number) => unknown; authorization?: string; send?: (i: number) => Promise<void> }
  const calls: Call[] = [
    { name: 'list (first page)', path: RPC.list, body: () => listBody },
    { name: 'list (deep page)', path: RPC.list, body: () => deepBody },
    { name: 'open', path: RPC.open, body: () => ocBody },
    { name: 'close', path: RPC.close, body: () => ocBody },
    { name: 'catalogue', path: RPC.catalogue, body: () => ({ token: terms.token, arrangementType: ARRANGEMENT_TYPE, userId: terms.userId }) },
    { name: 'detail', path: RPC.detail, body: () => detailBody },
    { name: 'merchant query', path: RPC.merchantQuery, body: () => ({ ...detailBody, token: undefined }), authorization: data.merchantAuthorization },
    { name: 'sign request create', path: RPC.createSignRequest, body: createBody, authorization: data.merchantAuthorization },
    { name: 'sign request confirm', path: '', body: () => undefined, send: signConfirm },
    { name: 'login', path: RPC.login, body: (i) => logins[i] },
  ]
  const send = (c: Call, i: number) => (c.send ? c.send(i) : call(base, c.path, c.body(i), c.authorization))
  // warm-up: every token's touch happens here, and open/close leave the state as found
  for (const c of calls) await send(c, REPEATS)
  const samples: Record<string, { roundTrips: number; messages: Record<string, number> }[]> = {}
  const settle = () => new Promise((r) => setTimeout(r, 30))
  for (let i = 0; i < REPEATS; i++) {
    for (const c of calls) {
      await settle()
      const before = proxy.counts()
      await send(c, i)
      await settle()
      const messages = delta(before, proxy.counts())
      ;(samples[c.name] ??= []).push({ roundTrips: (messages.S ?? 0) + (messages.Q ?? 0), messages })
    }
  }
  // the sample with the fewest: they agree unless something ran in the background meanwhile
  // (periodic work such as the job queue's polls or the expiry sweep), which only adds messages; on a busy machine
  // such polls can fall into most samples of one call, so the median is not enough
  const result: RoundTrips = {}
  for (const [name, list] of Object.entries(samples)) {
    const sorted = [...list].sort((a, b) => a.roundTrips - b.roundTrips)
    result[name] = sorted[0]
  }
  return result
}
