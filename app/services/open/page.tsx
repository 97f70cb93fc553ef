import type { Metadata } from 'next'
import { getTranslations } from 'next-intl/server'
import { ArrangementMissing } from '@/components/agreements/arrangement-missing'
import { CatalogueCard } from '@/components/agreements/catalogue-card'
import { EmptyState } from '@/components/ui/empty-state'
import { PageHeading } from '@/components/ui/page-heading'
import { requireSession, type WebSession } from '@/lib/auth/session-guard'
import { listCatalogue } from '@/lib/agreements/list-catalogue'
import { DEDUCTION } from '@/lib/agreements/arrangement-types'
import { DomainError, ResultCode } from '@/lib/errors'

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('catalogue')
  return { title: t('title') }
}

type SearchParams = Promise<Record<string, string | string[] | undefined>>

async function load(session: WebSession, arrangementType: string) {
  try {
    return await listCatalogue(session.actor, { arrangementType })
  } catch (error) {
    // no such type (15), or one the URL could not name (10)
    if (error instanceof DomainError && (error.code === ResultCode.ARRANGEMENT_NOT_FOUND || error.code === ResultCode.INVALID_ARGUMENT)) return null
    throw error
  }
}

/** The catalogue of the deduction arrangement, or of another type named by `?type=`. */
export default async function OpenAgreementPage({ searchParams }: { searchParams: SearchParams }) {
  const { type } = await searchParams
  const arrangementType = typeof type === 'string' && type ? type : DEDUCTION
  const session = await requireSession(arrangementType === DEDUCTION ? '/services/open' : `/services/open?type=${encodeURIComponent(arrangementType)}`)
  const catalogue = await load(session, arrangementType)
  const t = await getTranslations()

  if (!catalogue) return <ArrangementMissing heading={t('catalogue.heading')} />
  const { arrangement, products } = catalogue
  return (
    <>
      <PageHeading
        title={t('catalogue.heading')}
        intro={t('catalogue.intro', { arrangement: arrangement.name, version: arrangement.version })}
      />
      {products.length === 0 ? (
        <EmptyState title={t('catalogue.empty')} />
      ) : (
        <ul aria-label={t('catalogue.listLabel')} className="space-y-3" data-testid="catalogue-list">
          {products.map((product) => (
            <li key={product.code}>
              <CatalogueCard product={product} arrangementType={arrangement.type} terms={arrangement.terms} />
            </li>
          ))}
        </ul>
      )}
    </>
  )
}
