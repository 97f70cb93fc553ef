import type http from 'node:http'
import type { Logger } from 'pino'
import { lookupWebSession, loginUrl } from '@/lib/auth/web-session-lookup'
import { sessionCookieName } from '@/lib/auth/web-cookie'
import { isDatabaseUnavailable } from '@/lib/db/unavailable'
import { DomainError, ResultCode } from '@/lib/errors'
import { cookieValue } from '@/lib/http/cookie-value'
import { sendJson } from '@/lib/http/send-json'
import { describeCode } from '@/lib/i18n/describe-code'
import { LOCALE_COOKIE, requestLocale } from '@/lib/i18n/locale'
import { confirmSignRequest } from '@/lib/signing/confirm-sign-request'
import { declineSignRequest } from '@/lib/signing/decline-sign-request'
import { signFormFailure, type SignVerb } from '@/lib/signing/sign-form-path'
import { unchangedMessage } from '@/lib/signing/signer-text'

const run = { confirm: confirmSignRequest, decline: declineSignRequest } satisfies Record<SignVerb, unknown>

/**
 * Where the signer goes next: away (to the merchant's returnUrl once the request ended
 * here, or to login), or back to the sign page with why nothing changed.
 */
type Decision = { leave: string } | { stay: string; message: string; code?: ResultCode }

async function decide(req: http.IncomingMessage, token: string, verb: SignVerb): Promise<Decision> {
  const here = `/sign/${encodeURIComponent(token)}`
  const locale = requestLocale(cookieValue(req.headers.cookie, LOCALE_COOKIE), req.headers['accept-language'])
  try {
    const found = await lookupWebSession(cookieValue(req.headers.cookie, sessionCookieName()))
    if (!found.session) return { leave: loginUrl(here, found.problem) }
    const outcome = await run[verb](found.session.actor, token)
    if (outcome.changed) return { leave: outcome.returnTo }
    return { stay: here, message: unchangedMessage(outcome, locale) }
  } catch (error) {
    if (error instanceof DomainError) {
      const { field, reason, retryAfterSeconds: seconds } = error.detail ?? {}
      return { stay: here, code: error.code, message: describeCode(error.code, locale, { field, reason, seconds }) }
    }
    if (!isDatabaseUnavailable(error)) throw error
    return { stay: here, code: ResultCode.UNAVAILABLE, message: describeCode(ResultCode.UNAVAILABLE, locale) }
  }
}

/** What the page's script asked for: JSON it acts on itself. A request that had already ended is code 19. */
function answerScript(res: http.ServerResponse, decision: Decision) {
  if ('leave' in decision) return sendJson(res, 200, { redirect: decision.leave })
  const { code = ResultCode.SIGN_REQUEST_FINISHED, message } = decision
  sendJson(res, code === ResultCode.UNAVAILABLE ? 503 : 200, { code, changed: false, message })
}

/**
 * What a browser without the page's script gets: a 303 to follow. Back on the sign
 * page, the request's new state says why nothing changed; a failure is named by its
 * code alone (lib/signing/sign-form-path.ts), so a crafted link cannot make the page say anything.
 */
function answerForm(res: http.ServerResponse, decision: Decision) {
  const to = 'leave' in decision ? decision.leave : decision.code ? `${decision.stay}?${signFormFailure}=${decision.code}` : decision.stay
  res.writeHead(303, { location: to, 'cache-control': 'no-store', 'content-length': '0' })
  res.end()
}

/**
 * POST /sign/<token>/confirm and /sign/<token>/decline: the sign page's two buttons,
 * answered here rather than as Next server actions, whose machinery cost three times
 * the confirm itself (docs/operations.md#benchmarks). The router has already refused a
 * request from anywhere but our pages and a body over the limit (lib/http/router.ts);
 * the session is read and checked as pages read it (lib/auth/web-session-lookup.ts),
 * and the confirm and decline are the domain's own (lib/signing). The page's script
 * asks for JSON (Accept: application/json); a form posted without it gets a 303.
 */
export function createSignFormHandler(log: Logger) {
  return (req: http.IncomingMessage, res: http.ServerResponse, token: string, verb: SignVerb) => {
    if (req.method !== 'POST') {
      res.writeHead(405, { allow: 'POST', 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' })
      return void res.end('method not allowed: use POST')
    }
    const script = (req.headers.accept ?? '').includes('application/json')
    decide(req, token, verb).then(
      (decision) => (script ? answerScript(res, decision) : answerForm(res, decision)),
      (error: unknown) => {
        log.error({ err: error, verb }, 'sign page: the signer’s answer failed')
        if (res.headersSent) return void res.end()
        if (script) return sendJson(res, 500, { code: ResultCode.UNAVAILABLE, message: 'internal error' })
        res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' })
        res.end('internal error')
      },
    )
  }
}
