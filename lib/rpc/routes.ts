// The API's adapters: one routes() serves both doors (Connect under /api on the
// HTTP/1.1 port, gRPC on the h2c port). Each method is parse → authenticate →
// domain → answer; business rules live in lib/auth and lib/agreements.
import { createContextKey, createContextValues, type ConnectRouter, type HandlerContext } from '@connectrpc/connect'
import type { ClientInfo } from '@/lib/auth/client-info'
import { authenticateToken } from '@/lib/auth/authenticate-token'
import { logout } from '@/lib/auth/logout'
import { refreshSession } from '@/lib/auth/refresh-session'
import { login } from '@/lib/auth/login'
import { config } from '@/lib/config'
import { clientAddress } from '@/lib/http/client-address'
import { DomainError, ResultCode, statusOf } from '@/lib/errors'
import { Company } from '@/lib/gen/deduction_pb'
import { Merchant } from '@/lib/gen/merchant_pb'
import { User } from '@/lib/gen/user_pb'
import { describeCode, pickLocale } from '@/lib/i18n/describe-code'
import type { Locale } from '@/lib/i18n/locale'
import { unknownBrowser } from '@/lib/i18n/unknown-browser'
import { currentRequestId } from '@/lib/observability/request-id'
import { getDevices } from '@/lib/auth/devices'
import { authenticateMerchant } from '@/lib/merchants/authenticate-merchant'
import { closeAgreement as closeAgreementAsMerchant } from '@/lib/merchants/close-agreement'
import { listAgreementChanges } from '@/lib/merchants/list-changes'
import { queryAgreement } from '@/lib/merchants/query-agreement'
import { cancelSignRequest } from '@/lib/signing/cancel-sign-request'
import { createSignRequest } from '@/lib/signing/create-sign-request'
import { querySignRequest } from '@/lib/signing/query-sign-request'
import { closeAgreement } from '@/lib/agreements/close-agreement'
import { getAgreement } from '@/lib/agreements/get-agreement'
import { listCatalogue } from '@/lib/agreements/list-catalogue'
import { listAgreements } from '@/lib/agreements/list-agreements'
import { changeAgreement } from '@/lib/agreements/change-agreement'
import { openAgreement } from '@/lib/agreements/open-agreement'
import { arrangementInfo, eventInfo, productInfo } from '@/lib/rpc/terms-messages'
import { unanswered } from '@/lib/rpc/unanswered'
import { RELEASE_BUCKET_HEADER, releaseBucket } from '@/lib/release/bucket'

/** What the transport knows about the caller; the user agent comes from the headers. */
const clientAddressKey = createContextKey<string | undefined>(undefined, { description: 'client address' })

/**
 * Context values for the adapters (lib/rpc/node-adapter.ts): the caller's address, which handlers cannot
 * see otherwise, decided by the same rule as for pages (TRUST_PROXY).
 */
export function rpcContextValues(req: { socket?: { remoteAddress?: string } | null; headers?: Record<string, string | string[] | undefined> }) {
  const address = clientAddress(req.socket?.remoteAddress, req.headers?.['x-forwarded-for'], config().TRUST_PROXY)
  return createContextValues().set(clientAddressKey, address)
}

function clientInfo(context: HandlerContext): ClientInfo {
  return {
    userAgent: context.requestHeader.get('user-agent') ?? undefined,
    ip: context.values.get(clientAddressKey),
  }
}

/** The token from the body field (the published proto's `token`) or else an `Authorization: Bearer` header. */
function tokenOf(bodyToken: string, context: HandlerContext): string | undefined {
  if (bodyToken) return bodyToken
  const match = /^Bearer\s+(\S+)\s*$/i.exec(context.requestHeader.get('authorization') ?? '')
  return match?.[1]
}

type Answer = { status: string; code: string; desc: string }

const success = (locale: Locale): Answer => ({ status: statusOf(ResultCode.OK), code: ResultCode.OK, desc: describeCode(ResultCode.OK, locale) })

/**
 * Runs one call: a DomainError is an ordinary answer (HTTP 200, status/code/desc);
 * an unreachable database is `unavailable` (503, code 99, safe to retry); anything
 * else is `internal` with nothing but the request id. The cause rides along for
 * the interceptor's log line, never to the caller.
 */
async function answer<T extends object>(context: HandlerContext, run: (locale: Locale) => Promise<T>): Promise<T | Answer> {
  const locale = pickLocale(context.requestHeader.get('accept-language'))
  try {
    return await run(locale)
  } catch (error) {
    if (error instanceof DomainError) {
      const { field, reason, retryAfterSeconds } = error.detail ?? {}
      return { status: statusOf(error.code), code: error.code, desc: describeCode(error.code, locale, { field, reason, seconds: retryAfterSeconds }) }
    }
    const requestId = currentRequestId() ?? context.requestHeader.get('x-request-id') ?? 'unknown'
    throw unanswered(error, requestId, describeCode(ResultCode.UNAVAILABLE, locale))
  }
}

/** Answers that carry a token must not be kept by any cache on the way (RFC 6749 §5.1); refusals say the same. */
const noStore = (context: HandlerContext) => context.responseHeader.set('cache-control', 'no-store')

const idempotencyKey = (context: HandlerContext) => context.requestHeader.get('idempotency-key') ?? undefined

export function routes(router: ConnectRouter): void {
  router.service(User, {
    login: (req, context) =>
      answer(context, async (locale) => {
        noStore(context)
        const session = await login({ loginKey: req.loginKey, password: req.loginValue, client: clientInfo(context) })
        // the client sends it back on later calls: nginx routes them to the user's version (lib/release/bucket.ts)
        context.responseHeader.set(RELEASE_BUCKET_HEADER, releaseBucket(session.userId))
        return {
          ...success(locale),
          token: session.token,
          refreshToken: session.refreshToken,
          expireTime: session.expireTime.toISOString(),
          userId: session.userId,
        }
      }),
    refresh: (req, context) =>
      answer(context, async (locale) => {
        noStore(context)
        const pair = await refreshSession(req.refreshToken, clientInfo(context))
        return { ...success(locale), token: pair.token, refreshToken: pair.refreshToken, expireTime: pair.expireTime.toISOString() }
      }),
    logout: (req, context) =>
      answer(context, async (locale) => {
        await logout(tokenOf(req.token, context))
        return success(locale)
      }),
    querySessions: (req, context) =>
      answer(context, async (locale) => {
        const actor = await authenticateToken(tokenOf(req.token, context))
        const devices = await getDevices(actor)
        return {
          ...success(locale),
          current: { device: devices.current.device ?? unknownBrowser(locale), channel: devices.current.channel, since: devices.current.since.toISOString() },
          recent: devices.recent.map((r) => ({ time: r.at.toISOString(), device: r.device ?? unknownBrowser(locale), outcome: r.outcome })),
        }
      }),
  })

  router.service(Company, {
    createDeductionService: (req, context) =>
      answer(context, async (locale) => {
        const actor = await authenticateToken(tokenOf(req.token, context))
        const { arrangementType, productCode, userId, propertyValues } = req
        await openAgreement(actor, { arrangementType, productCode, userId, propertyValues }, { idempotencyKey: idempotencyKey(context) })
        return success(locale)
      }),
    modifyDeductionService: (req, context) =>
      answer(context, async (locale) => {
        const actor = await authenticateToken(tokenOf(req.token, context))
        const { arrangementType, productCode, userId, propertyValues } = req
        await changeAgreement(actor, { arrangementType, productCode, userId, propertyValues }, { idempotencyKey: idempotencyKey(context) })
        return success(locale)
      }),
    queryProductCatalogue: (req, context) =>
      answer(context, async (locale) => {
        const actor = await authenticateToken(tokenOf(req.token, context))
        const catalogue = await listCatalogue(actor, { arrangementType: req.arrangementType, userId: req.userId })
        return {
          ...success(locale),
          arrangement: arrangementInfo(catalogue.arrangement),
          products: catalogue.products.map(productInfo),
        }
      }),
    queryDeductionDetail: (req, context) =>
      answer(context, async (locale) => {
        const actor = await authenticateToken(tokenOf(req.token, context))
        const { arrangementType, productCode, userId } = req
        const detail = await getAgreement(actor, { arrangementType, productCode, userId })
        return {
          ...success(locale),
          product: productInfo({ ...detail.product, opened: detail.openedAt !== null }),
          arrangement: arrangementInfo(detail.arrangement),
          openedAt: detail.openedAt?.toISOString() ?? '',
          propertyValues: detail.values,
          history: detail.history.map(eventInfo),
        }
      }),
    closeDeductionService: (req, context) =>
      answer(context, async (locale) => {
        const actor = await authenticateToken(tokenOf(req.token, context))
        const { arrangementType, productCode, userId } = req
        await closeAgreement(actor, { arrangementType, productCode, userId }, { idempotencyKey: idempotencyKey(context) })
        return success(locale)
      }),
    queryDeductionListByUserIdAndArType: (req, context) =>
      answer(context, async (locale) => {
        const actor = await authenticateToken(tokenOf(req.token, context))
        const page = await listAgreements(actor, {
          arrangementType: req.arrangementType,
          userId: req.userId,
          // proto3 cannot tell "absent" from 0 / "": both mean "use the default"
          pageSize: req.pageSize || undefined,
          pageToken: req.pageToken || undefined,
        })
        return {
          ...success(locale),
          simpliedProductInfo: page.items.map((item) => ({
            productCode: item.productCode,
            productName: item.productName,
            proudctOrgName: item.productOrgName,
          })),
          nextPageToken: page.nextPageToken,
        }
      }),
  })

  // The merchant's side (docs/merchants.md): a merchant API key in `Authorization`, never a user's token.
  const merchantOf = (context: HandlerContext) => authenticateMerchant(context.requestHeader.get('authorization'))
  router.service(Merchant, {
    queryAgreement: (req, context) =>
      answer(context, async (locale) => {
        const actor = await merchantOf(context)
        const a = await queryAgreement(actor, { arrangementType: req.arrangementType, productCode: req.productCode, userId: req.userId })
        return { ...success(locale), agreement: { ...a, openedAt: a.openedAt?.toISOString() ?? '' } }
      }),
    listAgreementChanges: (req, context) =>
      answer(context, async (locale) => {
        const actor = await merchantOf(context)
        const page = await listAgreementChanges(actor, {
          productCode: req.productCode,
          cursor: req.cursor || undefined,
          pageSize: req.pageSize || undefined,
        })
        return { ...success(locale), changes: page.changes.map((c) => ({ ...c, at: c.at.toISOString() })), nextCursor: page.nextCursor, more: page.more }
      }),
    closeAgreement: (req, context) =>
      answer(context, async (locale) => {
        const actor = await merchantOf(context)
        const { arrangementType, productCode, userId, reason } = req
        await closeAgreementAsMerchant(actor, { arrangementType, productCode, userId, reason }, { idempotencyKey: idempotencyKey(context) })
        return success(locale)
      }),
    createSignRequest: (req, context) =>
      answer(context, async (locale) => {
        const actor = await merchantOf(context)
        const { productCode, propertyValues, merchantReference, returnUrl, expiresInSeconds } = req
        const created = await createSignRequest(actor, { productCode, propertyValues, merchantReference, returnUrl, expiresInSeconds }, { idempotencyKey: idempotencyKey(context) })
        return { ...success(locale), signRequestId: created.signRequestId, signUrl: created.signUrl, expireTime: created.expireTime.toISOString() }
      }),
    querySignRequest: (req, context) =>
      answer(context, async (locale) => {
        const actor = await merchantOf(context)
        const r = await querySignRequest(actor, { signRequestId: req.signRequestId })
        return {
          ...success(locale),
          signRequestId: r.id,
          merchantReference: r.merchantReference,
          productCode: r.productCode,
          signStatus: r.status,
          userId: r.userId ?? '',
          agreement: r.agreement ? { ...r.agreement, openedAt: r.agreement.openedAt?.toISOString() ?? '' } : undefined,
          expireTime: r.expireAt.toISOString(),
          finishTime: r.finishedAt?.toISOString() ?? '',
        }
      }),
    cancelSignRequest: (req, context) =>
      answer(context, async (locale) => {
        const actor = await merchantOf(context)
        const { cancelled, record } = await cancelSignRequest(actor, { signRequestId: req.signRequestId })
        // a request that had already ended is an answer, with the status it has
        const code = cancelled ? ResultCode.OK : ResultCode.SIGN_REQUEST_FINISHED
        return { status: statusOf(code), code, desc: describeCode(code, locale), signRequestId: record.id, signStatus: record.status }
      }),
  })
}
