import type { Metadata } from 'next'
import { getLocale, getTranslations } from 'next-intl/server'
import { ProductAvatar } from '@/components/agreements/product-avatar'
import { SignActions } from '@/components/signing/sign-actions'
import { SignQrCode } from '@/components/signing/sign-qr-code'
import { SignStatusWatch } from '@/components/signing/sign-status-watch'
import { LocalTime } from '@/components/time/local-time'
import { Card, Section } from '@/components/ui/card'
import { Notice } from '@/components/ui/notice'
import { getSession, requireSession } from '@/lib/auth/session-guard'
import { displayValue, termLabel } from '@/lib/agreements/term-display'
import { ResultCode } from '@/lib/errors'
import { failureOf, signFormFailure } from '@/lib/signing/sign-form-path'
import { loadSignPage } from '@/lib/signing/sign-page'
import { signUrl } from '@/lib/signing/sign-link'

/**
 * The link's token never leaves in a Referer for another origin: `same-origin` sends the
 * page's address to our own server only. Not `no-referrer`: under it a browser sends
 * `Origin: null` with a form it posts itself (before the page's script has loaded, or
 * without script), and the same-origin rule (lib/http/same-origin.ts) refuses that.
 */
export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('sign')
  return { title: t('title'), referrer: 'same-origin' }
}

type Params = Promise<{ token: string }>
type SearchParams = Promise<Record<string, string | string[] | undefined>>

/**
 * The page a merchant's sign link opens (docs/merchants.md#merchant-initiated-signing):
 * who asks, for which product, on which terms, until when; confirm or decline for
 * the signed-in user, and on a wide screen the same link as a QR code. A pending
 * link sends anyone not signed in to the login page and straight back. A link that
 * is unknown, expired, cancelled or already used says which, to anyone, with no way
 * to act.
 */
export default async function SignPage({ params, searchParams }: { params: Params; searchParams: SearchParams }) {
  const { token } = await params
  const [page, session, t, codes, locale, failed] = await Promise.all([
    loadSignPage(token),
    getSession(),
    getTranslations('sign'),
    getTranslations('codes'),
    getLocale(),
    searchParams.then((query) => failureOf(query[signFormFailure])),
  ])
  const here = `/sign/${encodeURIComponent(token)}`

  if (!page.found) {
    return (
      <Notice tone="warning" title={t('unknownTitle')} data-testid="sign-state" data-state="UNKNOWN">
        {t('unknownBody')}
      </Notice>
    )
  }
  const { status, product } = page
  const ended = status !== 'PENDING'
  if (!ended && !session) await requireSession(here)
  const mine = session !== null && page.userId === session.actor.userId
  return (
    <>
      <Card className="flex flex-col items-center px-5 pt-8 pb-6 text-center">
        <ProductAvatar code={product.code} orgName={product.orgName} size="lg" />
        <h1 className="mt-4 text-lg font-semibold text-balance">{ended ? t(`heading.${status}`) : t('heading.PENDING', { merchant: page.merchantName })}</h1>
        <p className="mt-3 text-base font-medium" data-testid="sign-product-name">
          {product.name}
        </p>
        <p className="text-sm text-muted">{product.orgName}</p>
      </Card>

      {ended ? (
        <Notice tone={status === 'SIGNED' ? 'success' : 'info'} className="mt-5" data-testid="sign-state" data-state={status}>
          {status === 'SIGNED' && !mine ? t('finishedByOther') : t(`finished.${status}`)}
        </Notice>
      ) : null}
      {ended && mine ? (
        <p className="mt-4 text-center text-sm">
          <a href={page.returnTo} className="text-brand-strong underline" data-testid="sign-return-link">
            {t('returning')}
          </a>
        </p>
      ) : null}
      {ended ? null : (
        <>
          <p className="mt-5 text-sm leading-relaxed text-pretty" data-testid="sign-state" data-state="PENDING">
            {t('explain', { merchant: page.merchantName, product: product.name })}
          </p>
          <div className="mt-5 space-y-6">
            <Section title={t('terms')} id="sign-terms-title">
              <dl className="divide-y divide-line text-sm" data-testid="sign-terms">
                <Row label={t('arrangement')}>
                  {page.arrangement.name} · {page.arrangement.version}
                </Row>
                {page.terms.map((term) => (
                  <Row key={term.key} label={termLabel(term, locale)}>
                    <span data-testid={`sign-term-${term.key}`}>{displayValue(term, page.values[term.key], locale) ?? <span className="text-muted">{t('notSet')}</span>}</span>
                  </Row>
                ))}
                <Row label={t('expires')}>
                  <LocalTime iso={page.expireAt.toISOString()} locale={locale} showZone testId="sign-expires" />
                </Row>
              </dl>
            </Section>
          </div>
          <SignActions
            token={token}
            text={{
              confirm: t('confirm'),
              confirming: t('confirming'),
              decline: t('decline'),
              declining: t('declining'),
              unavailable: codes(ResultCode.UNAVAILABLE),
            }}
            failure={failed ? codes(failed, { field: '', reason: '', seconds: 0 }) : undefined}
          />
          <SignQrCode url={signUrl(token)} caption={t('continueOnPhone')} />
          {/* signing in on the phone ends this browser's session (one device per user): this page keeps watching the request, not the session */}
          <SignStatusWatch token={token} />
        </>
      )}
    </>
  )
}

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="flex gap-4 px-4 py-3">
      <dt className="w-24 shrink-0 text-muted">{label}</dt>
      <dd className="min-w-0 flex-1 text-right sm:text-left">{children}</dd>
    </div>
  )
}
