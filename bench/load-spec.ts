// What the orchestrator asks of the load process (bench/load.ts), and what it gets back.

export type Caller = { token: string; userId: string }
/** A user's open service of a product, with the user's token (the merchant query does not send it). */
export type AgreementCaller = Caller & { productCode: string }

export type Scenario = {
  name: string
  /** the server's base URL, e.g. http://127.0.0.1:3000 */
  url: string
  connections: number
  /** seconds */
  duration: number
  /** requests per second over all connections; unset: as fast as answers come */
  overallRate?: number
} & (
  | { kind: 'list'; callers: (Caller & { pageToken?: string })[] }
  | { kind: 'open-close'; callers: Caller[]; productCode: string }
  | { kind: 'login'; logins: { loginKey: string; loginValue: string }[] }
  | { kind: 'catalogue'; callers: Caller[] }
  | { kind: 'detail'; callers: AgreementCaller[] }
  /** `authorization`: the merchant's `Bearer <keyId>.<secret>` */
  | { kind: 'merchant-query'; authorization: string; callers: AgreementCaller[] }
  /** a new sign request per call: a fresh merchantReference (`referencePrefix` and a count), the products in turn */
  | { kind: 'sign-create'; authorization: string; referencePrefix: string; productCodes: string[]; returnUrl: string; propertyValues: Record<string, string> }
  /** one pending sign request per call, each confirmed once by its user (bench/sign-confirm-request.ts) */
  | { kind: 'sign-confirm'; cookies: string[]; confirms: SignConfirm[] }
)

/** A pending sign request's link token, with the user who confirms it (their session cookie's index in `cookies`). */
export type SignConfirm = { token: string; signer: number }

export type LoadResult = {
  name: string
  requests: number
  seconds: number
  /** answered requests per second */
  rps: number
  /** latency, milliseconds */
  p50: number
  p90: number
  p99: number
  max: number
  mean: number
  /** connection errors and timeouts, non-2xx answers, 200s whose business code was not 00 */
  errors: number
  timeouts: number
  non2xx: number
  notOk: number
  /** the first few bodies of such answers */
  failures: string[]
  /** CPU seconds the load process itself used (all its scenarios together) */
  loaderCpuSeconds: number
}

export const RPC = {
  login: '/api/user.User/Login',
  list: '/api/deduction.Company/QueryDeductionListByUserIdAndArType',
  open: '/api/deduction.Company/CreateDeductionService',
  close: '/api/deduction.Company/CloseDeductionService',
  catalogue: '/api/deduction.Company/QueryProductCatalogue',
  detail: '/api/deduction.Company/QueryDeductionDetail',
  merchantQuery: '/api/deduction.Merchant/QueryAgreement',
  createSignRequest: '/api/deduction.Merchant/CreateSignRequest',
} as const

export const ARRANGEMENT_TYPE = 'Deduction'
