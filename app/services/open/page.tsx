import type { Metadata } from 'next'
import { getTranslations } from 'next-intl/server'
import { CatalogueCard } from '@/components/services/catalogue-card'
import { EmptyState } from '@/components/ui/empty-state'
import { Notice } from '@/components/ui/notice'
import { PageHeading } from '@/components/ui/page-heading'
import { requireSession, type WebSession } from '@/lib/auth/session-guard'
import { listCatalogue } from '@/lib/services/list-catalogue'
import { DEDUCTION } from '@/lib/services/arrangement-types'
import { DomainError, ResultCode } from '@/lib/errors'

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('catalogue')
  return { title: t('title') }
}

async function load(session: WebSession) {
  try {
    return await listCatalogue(session.actor, { arrangementType: DEDUCTION })
  } catch (error) {
    if (error instanceof DomainError && error.code === ResultCode.ARRANGEMENT_NOT_FOUND) return null
    throw error
  }
}

export default async function OpenServicePage() {
  const session = await requireSession('/services/open')
  const catalogue = await load(session)
  const t = await getTranslations()

  if (!catalogue) {
    return (
      <>
        <PageHeading title={t('catalogue.heading')} />
        <Notice tone="warning" data-testid="arrangement-missing">
          {t('codes.15')}
        </Notice>
      </>
    )
  }
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
              <CatalogueCard product={product} />
            </li>
          ))}
        </ul>
      )}
    </>
  )
}
