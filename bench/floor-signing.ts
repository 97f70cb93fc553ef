// The floor's merchant-initiated signing (bench/floor-server.ts): CreateSignRequest on
// the JSON door, and the sign page's confirm as the page's script posts it
// (bench/sign-confirm-request.ts), with node:http and pg only. The statements are
// the app's own, run on the floor's pool: the creation's from lib/signing/create-sign-request.ts,
// the confirm's from lib/signing/sign-request-record.ts and lib/agreements/open-agreement.ts,
// inside one transaction as lib/signing/confirm-sign-request.ts runs them.
import type http from 'node:http'
import type pg from 'pg'
import type { RunStatement } from '@/lib/db/client'
import { DomainError, ResultCode } from '@/lib/errors'
import { openSessionCookie, sessionCookieName } from '@/lib/auth/web-cookie'
import { cookieValue } from '@/lib/http/cookie-value'
import { isSameOrigin } from '@/lib/http/same-origin'
import { parseMerchantAuthorization, secretMatches } from '@/lib/merchants/api-key'
import { MerchantStatus } from '@/lib/merchants/merchant-status'
import { merchantKey } from '@/lib/db/statements/merchant-key'
import { productMerchant } from '@/lib/db/statements/product-merchant'
import { markSignRequestSigned } from '@/lib/db/statements/sign-request-changes'
import { touchSession } from '@/lib/db/statements/touch-session'
import { webSession } from '@/lib/db/statements/web-session'
import type { MerchantActor } from '@/lib/merchants/merchant-actor'
import { storedValues, valuesJson } from '@/lib/agreements/arrangement-terms'
import { DEDUCTION } from '@/lib/agreements/arrangement-types'
import { openWithValues } from '@/lib/agreements/open-agreement'
import { byReference, makeOrMatch, type Content } from '@/lib/signing/create-sign-request'
import { hashSignToken, isSignToken, returnAddress, signToken, signUrl } from '@/lib/signing/sign-link'
import { readSignRequest } from '@/lib/signing/sign-request-record'
import { SignStatus } from '@/lib/signing/sign-status'
import { parseInput } from '@/lib/validation/parse'
import { signRequestCreateSchema } from '@/lib/validation/sign-request'
import { parseTermValues } from '@/lib/validation/term-values'
import { statementNames } from '@/lib/db/statement-names'

type Body = Record<string, unknown>
type Answer = (code: string, extra?: Body) => Body
type Call = (body: Body, authorization: string | undefined) => Promise<Body>

const TOUCH_INTERVAL_MS = 60_000
const IDLE_MS = Number(process.env.SESSION_IDLE_SECONDS ?? '1800') * 1000
const MAX_TOKEN_CHARS = 128
const READ_MAX_BYTES = 64 * 1024


async function merchantOf(run: RunStatement, tenantId: string, authorization: string | undefined): Promise<MerchantActor> {
  const presented = parseMerchantAuthorization(authorization)
  if (!presented) throw new DomainError(ResultCode.NOT_LOGGED_IN)
  const [key] = await merchantKey.run(run, { tenantId, keyId: presented.keyId, activeStatus: MerchantStatus.ACTIVE })
  if (!key || !secretMatches(presented.secret, key.secretHash)) throw new DomainError(ResultCode.NOT_LOGGED_IN)
  return { tenantId, merchantId: key.merchantId, keyId: presented.keyId }
}

/**
 * The floor's signing on its pool: `calls`, the JSON door's calls to add to its others (a
 * refusal answers its code as the app does), and `serveConfirm`, which takes the sign
 * page's confirm posts.
 */
export function floorSigning(pool: pg.Pool, tenantId: string, answer: Answer) {
  // named statements, as the floor's others (lib/db/statement-names.ts: the same text gets the same name)
  const nameOf = statementNames()
  const on = (c: pg.Pool | pg.PoolClient): RunStatement => async <T>(text: string, values: readonly unknown[]) => (await c.query({ name: nameOf(text), text, values: [...values] })).rows as T[]
  const run = on(pool)
  return { calls: signingCalls(run, tenantId, answer), serveConfirm: confirmServer(pool, run, on, tenantId) }
}

function signingCalls(run: RunStatement, tenantId: string, answer: Answer): Record<string, Call> {
  const refusing = (call: Call): Call => async (body, authorization) => {
    try {
      return await call(body, authorization)
    } catch (error) {
      if (error instanceof DomainError) return answer(error.code)
      throw error
    }
  }
  return {
    'deduction.Merchant/CreateSignRequest': refusing(async (body, authorization) => {
      const actor = await merchantOf(run, tenantId, authorization)
      const fields = parseInput(signRequestCreateSchema, body)
      const given = parseTermValues(body.propertyValues)
      const content: Content = {
        productCode: fields.productCode,
        propertyValues: Object.keys(given).length > 0 ? valuesJson(given) : null,
        returnUrl: fields.returnUrl,
        expiresInSeconds: fields.expiresInSeconds,
      }
      const [owner] = await productMerchant.run(run, { tenantId, productCode: fields.productCode })
      if (owner?.merchantId !== actor.merchantId) throw new DomainError(ResultCode.PRODUCT_NOT_FOUND)
      await makeOrMatch(run, actor, fields.merchantReference, content, given)
      const record = await byReference(run, actor, fields.merchantReference)
      if (!record) throw new Error('a sign request just made is not there')
      return answer('00', { signRequestId: record.id, signUrl: signUrl(signToken(tenantId, record.id)), expireTime: record.expireAt.toISOString() })
    }),
  }
}

type Reply = { status: number; headers?: Record<string, string>; body: string }
const json = (body: Body): Reply => ({ status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
const refusal = (message: string): Reply => json({ code: '19', changed: false, message })
const leave = (redirect: string): Reply => json({ redirect })
const SIGN_CONFIRM_PATH = /^\/sign\/([^/]+)\/confirm$/


/**
 * The sign page's confirm (POST /sign/<token>/confirm): the token from the address,
 * the same-origin check, the session by its cookie, then in one transaction the
 * request locked, the agreement opened with the proposed terms and the request marked
 * SIGNED. Answers the JSON the page's script acts on.
 */
function confirmServer(pool: pg.Pool, run: RunStatement, on: (c: pg.PoolClient) => RunStatement, tenantId: string) {
  async function confirm(req: http.IncomingMessage, token: string): Promise<Reply> {
    if (token.length > MAX_TOKEN_CHARS) return refusal('no such link')
    const host = (req.headers['x-forwarded-host'] as string | undefined) ?? req.headers.host
    if (!isSameOrigin({ origin: req.headers.origin, secFetchSite: req.headers['sec-fetch-site'] as string | undefined, host })) return { status: 403, body: 'cross-origin request refused' }
    const login = leave(`/login?next=${encodeURIComponent(`/sign/${token}`)}`)
    const cookie = cookieValue(req.headers.cookie, sessionCookieName())
    const sessionId = cookie ? await openSessionCookie(cookie) : null
    if (!sessionId) return login
    // the session, the user's name and login key, as the web session check reads them (lib/auth/session-guard.ts)
    const [session] = await webSession.run(run, { tenantId, sessionId })
    const now = Date.now()
    if (!session || session.liveUserId === null || session.absoluteExpiresAt.getTime() <= now || session.idleExpiresAt.getTime() <= now) return login
    if (now - session.lastSeenAt.getTime() > TOUCH_INTERVAL_MS) {
      await touchSession.run(run, { tenantId, sessionId: session.id, idleExpiresAt: new Date(Math.min(now + IDLE_MS, session.absoluteExpiresAt.getTime())), now: new Date(now) })
    }
    if (!isSignToken(token)) return refusal(`code ${ResultCode.SIGN_REQUEST_NOT_FOUND}`)
    const actor = { tenantId, userId: session.userId, sessionId: session.id, device: session.device }

    const client = await pool.connect()
    const db = on(client)
    try {
      await client.query('BEGIN')
      const record = await readSignRequest(db, tenantId, { tokenHash: hashSignToken(token) }, { forUpdate: true })
      if (!record || record.status !== SignStatus.PENDING) {
        await client.query('COMMIT')
        return refusal(record ? `finished ${record.status}` : `code ${ResultCode.SIGN_REQUEST_NOT_FOUND}`)
      }
      const opened = await openWithValues(db, actor, { arrangementType: DEDUCTION, productCode: record.productCode }, storedValues(record.propertyValues))
      // the statement lib/signing/confirm-sign-request.ts ends the request with
      const [signed] = await markSignRequestSigned.run(db, { tenantId, id: record.id, userId: actor.userId, agreementId: opened.agreementId, arrangementNo: opened.arrangementNo })
      if (!signed) throw new Error('a locked, pending sign request could not be signed')
      await client.query('COMMIT')
      return leave(returnAddress(record.returnUrl, record.id, SignStatus.SIGNED))
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {})
      if (error instanceof DomainError) return refusal(`code ${error.code}`)
      throw error
    } finally {
      client.release()
    }
  }

  /** Serves POST /sign/<token>/confirm; false for any other request. */
  return (req: http.IncomingMessage, res: http.ServerResponse, path: string): boolean => {
    const target = req.method === 'POST' ? SIGN_CONFIRM_PATH.exec(path) : null
    if (!target) return false
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
    })
    req.on('end', () => {
      const reply = size > READ_MAX_BYTES ? Promise.resolve<Reply>({ status: 413, body: '' }) : confirm(req, target[1])
      reply.then(
        (r) => {
          res.writeHead(r.status, { 'cache-control': 'no-store', ...r.headers })
          res.end(r.body)
        },
        (error: unknown) => {
          console.error(error)
          res.writeHead(503, { 'content-type': 'application/json' })
          res.end(JSON.stringify({ code: 'unavailable', message: 'database unavailable' }))
        },
      )
    })
    return true
  }
}
