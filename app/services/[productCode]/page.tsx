import { randomUUID } from 'node:crypto'
import type { Metadata } from 'next'
import type { ReactNode } from 'react'
import Link from 'next/link'
import { notFound } from 'next/navigation'
import { getLocale, getTranslations } from 'next-intl/server'
import { ArrangementMissing } from '@/components/agreements/arrangement-missing'
import { HistoryList } from '@/components/agreements/history-list'
import { ProductAvatar } from '@/components/agreements/product-avatar'
import { AgreementActions } from '@/components/agreements/agreement-actions'
import { Card, Section } from '@/components/ui/card'
import { StatusBadge } from '@/components/ui/status-badge'
import { LocalTime } from '@/components/time/local-time'
import { requireSession } from '@/lib/auth/session-guard'
import { displayValue, termLabel } from '@/lib/agreements/term-display'
import { agreementHref } from '@/components/agreements/agreement-card'
import { arrangementTypeParam, loadAgreement } from './load-agreement'

type Params = Promise<{ productCode: string }>
type SearchParams = Promise<Record<string, string | string[] | undefined>>

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('detail')
  return { title: t('title') }
}

export default async function AgreementDetailPage({ params, searchParams }: { params: Params; searchParams: SearchParams }) {
  const { productCode } = await params
  const arrangementType = arrangementTypeParam(await searchParams)
  const session = await requireSession(agreementHref(productCode, arrangementType))
  const detail = await loadAgreement(session, productCode, arrangementType)
  if (!detail) notFound()

  const [t, tTerms, locale] = await Promise.all([getTranslations('detail'), getTranslations('terms'), getLocale()])
  if (detail === 'no-arrangement') return <ArrangementMissing heading={t('title')} />
  const { product, arrangement, openedAt, history, values } = detail
  // the terms' names in the page's language (an arrangement without definitions: its names as written)
  const termNames = arrangement.terms.length > 0 ? arrangement.terms.map((term) => termLabel(term, locale)) : arrangement.properties

  return (
    <>
      <Link
        href="/services"
        className="-ml-2 mb-3 inline-flex min-h-9 items-center gap-1 rounded-full px-2 text-sm text-muted hover:text-ink"
      >
        <span aria-hidden="true">‹</span>
        {t('back')}
      </Link>

      <Card className="flex items-center gap-4 p-5">
        <ProductAvatar code={product.code} orgName={product.orgName} size="lg" />
        <div className="min-w-0 flex-1">
          <h1 className="text-lg leading-snug font-semibold" data-testid="product-name">
            {product.name}
          </h1>
          <p className="mt-0.5 text-sm text-muted">{product.orgName}</p>
          <p className="mt-2 flex flex-wrap items-center gap-2 text-xs text-muted">
            {openedAt ? (
              <>
                <StatusBadge tone="brand" data-testid="service-status">
                  {t('statusOpen')}
                </StatusBadge>
                <span>{t.rich('openedSince', { date: () => <LocalTime iso={openedAt.toISOString()} locale={locale} style="date" /> })}</span>
              </>
            ) : (
              <StatusBadge data-testid="service-status">{t('statusNotOpen')}</StatusBadge>
            )}
          </p>
        </div>
      </Card>

      <div className="mt-6 space-y-6">
        <Section title={t('about')} id="about-title">
          <p className="px-4 pt-4 text-[0.9375rem] leading-relaxed" data-testid="product-description">
            {product.description}
          </p>
          <dl className="px-4 pt-3 pb-4 text-sm">
            <div className="flex gap-4">
              <dt className="w-20 shrink-0 text-muted">{t('merchant')}</dt>
              <dd className="min-w-0 flex-1 text-right sm:text-left">{product.orgName}</dd>
            </div>
          </dl>
        </Section>

        <Section title={t('arrangement')} id="arrangement-title">
          <dl className="divide-y divide-line text-sm" data-testid="arrangement">
            <Row label={t('arrangementName')}>{arrangement.name}</Row>
            <Row label={t('version')}>{arrangement.version}</Row>
            {openedAt && arrangement.terms.length > 0 ? (
              // an open agreement: each term with this user's value
              arrangement.terms.map((term) => (
                <Row key={term.key} label={termLabel(term, locale)}>
                  <span data-testid={`term-value-${term.key}`} data-value={term.masked ? undefined : values[term.key]}>
                    {displayValue(term, values[term.key], locale) ?? <span className="text-muted">{tTerms('notSet')}</span>}
                  </span>
                </Row>
              ))
            ) : (
              <Row label={t('terms')}>
                {termNames.length > 0 ? (
                  <ul className="flex flex-wrap justify-end gap-1.5 sm:justify-start">
                    {termNames.map((property) => (
                      <li key={property} className="rounded-md bg-canvas px-2 py-0.5 text-[0.8125rem]">
                        {property}
                      </li>
                    ))}
                  </ul>
                ) : (
                  <span className="text-muted">{t('noTerms')}</span>
                )}
              </Row>
            )}
            <Row label={t('openedAt')}>
              {openedAt ? (
                <LocalTime iso={openedAt.toISOString()} locale={locale} showZone testId="opened-at" />
              ) : (
                <span className="text-muted">{t('notOpened')}</span>
              )}
            </Row>
          </dl>
        </Section>

        <Section title={t('history')} id="history-title">
          <HistoryList entries={history} terms={arrangement.terms} />
        </Section>
      </div>

      <AgreementActions
        productCode={product.code}
        productName={product.name}
        orgName={product.orgName}
        opened={openedAt !== null}
        arrangementType={arrangementType}
        terms={arrangement.terms}
        values={values}
        // a change sent twice (a retry, a double submit) is made once; each rendering brings a new key
        idempotencyKey={randomUUID()}
      />
    </>
  )
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="flex gap-4 px-4 py-3">
      <dt className="w-20 shrink-0 text-muted">{label}</dt>
      <dd className="min-w-0 flex-1 text-right sm:text-left">{children}</dd>
    </div>
  )
}
