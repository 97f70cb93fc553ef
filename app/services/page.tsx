import type { Metadata } from 'next'
import Link from 'next/link'
import { getLocale, getTranslations } from 'next-intl/server'
import { BadPageToken } from '@/components/agreements/bad-page-token'
import { AgreementCard } from '@/components/agreements/agreement-card'
import { EmptyState } from '@/components/ui/empty-state'
import { Notice } from '@/components/ui/notice'
import { PageHeading } from '@/components/ui/page-heading'
import { buttonClass } from '@/components/ui/button-styles'
import { requireSession, type WebSession } from '@/lib/auth/session-guard'
import { listAgreements } from '@/lib/agreements/list-agreements'
import { effectiveValues, storedValues } from '@/lib/agreements/arrangement-terms'
import { termsByArrangement } from '@/lib/agreements/terms-by-arrangement'
import { termsSummary } from '@/lib/agreements/term-display'
import { DEDUCTION } from '@/lib/agreements/arrangement-types'
import { DomainError, ResultCode } from '@/lib/errors'

type SearchParams = Promise<Record<string, string | string[] | undefined>>

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('services')
  return { title: t('title') }
}

type Loaded = Awaited<ReturnType<typeof listAgreements>> | 'bad-token' | 'no-arrangement'

async function load(session: WebSession, pageToken: string | undefined): Promise<Loaded> {
  try {
    return await listAgreements(session.actor, { arrangementType: DEDUCTION, userId: session.actor.userId, pageToken })
  } catch (error) {
    if (error instanceof DomainError && error.code === ResultCode.INVALID_ARGUMENT && pageToken) return 'bad-token'
    if (error instanceof DomainError && error.code === ResultCode.ARRANGEMENT_NOT_FOUND) return 'no-arrangement'
    throw error
  }
}

export default async function AgreementsPage({ searchParams }: { searchParams: SearchParams }) {
  const { page } = await searchParams
  const pageToken = typeof page === 'string' && page ? page : undefined
  const session = await requireSession(pageToken ? `/services?page=${encodeURIComponent(pageToken)}` : '/services')
  const result = await load(session, pageToken)

  const [t, locale, terms] = await Promise.all([
    getTranslations(),
    getLocale(),
    typeof result === 'string' ? new Map() : termsByArrangement(session.actor, result.items.map((i) => i.arrangementNo)),
  ])
  return (
    <>
      <PageHeading title={t('services.heading')} intro={t('services.intro')} />
      {result === 'bad-token' ? (
        <BadPageToken />
      ) : result === 'no-arrangement' ? (
        <Notice tone="warning" data-testid="arrangement-missing">
          {t('codes.15')}
        </Notice>
      ) : result.items.length === 0 && !pageToken ? (
        <EmptyState
          title={t('services.emptyTitle')}
          body={t('services.emptyBody')}
          action={
            <Link href="/services/open" className={buttonClass('primary', 'md')} data-testid="empty-open-link">
              {t('services.emptyAction')}
            </Link>
          }
        />
      ) : (
        <>
          <ul aria-label={t('services.listLabel')} className="space-y-3" data-testid="service-list">
            {result.items.map((item) => {
              const itemTerms = terms.get(item.arrangementNo) ?? []
              const values = effectiveValues(itemTerms, storedValues(item.propertyValues))
              const summary = termsSummary(itemTerms, values, locale, (label, value) => t('terms.pair', { label, value }), t('terms.separator'))
              return (
                <li key={item.productCode}>
                  <AgreementCard item={item} termsSummary={summary} />
                </li>
              )
            })}
          </ul>
          {pageToken || result.nextPageToken ? (
            <nav aria-label={t('services.pagination')} className="mt-6 flex items-center justify-between gap-3">
              {pageToken ? (
                <Link href="/services" className={buttonClass('quiet', 'sm')} data-testid="first-page">
                  {t('services.firstPage')}
                </Link>
              ) : (
                <span />
              )}
              {result.nextPageToken ? (
                <Link
                  href={`/services?page=${encodeURIComponent(result.nextPageToken)}`}
                  rel="next"
                  className={buttonClass('secondary', 'sm')}
                  data-testid="next-page"
                >
                  {t('services.nextPage')}
                  <span aria-hidden="true">›</span>
                </Link>
              ) : null}
            </nav>
          ) : null}
        </>
      )}
    </>
  )
}
