import { useLocale, useTranslations } from 'next-intl'
import { OpenAgreementForm } from '@/components/agreements/open-agreement-form'
import { openFormId } from '@/lib/forms/term-fields'
import { TermFields } from '@/components/agreements/term-fields'
import type { TermDefinition } from '@/lib/agreements/arrangement-terms'
import { ProductAvatar } from '@/components/agreements/product-avatar'
import { CardTitleLink } from '@/components/agreements/agreement-card'
import { LINKED_CARD } from '@/components/ui/card'

export type CatalogueProduct = { code: string; name: string; orgName: string; description: string; opened: boolean }

/** A product that can be opened: name (leading to its terms), organisation, description, and 开通 or 已开通. */
export function CatalogueCard({ product, arrangementType, terms }: { product: CatalogueProduct; arrangementType: string; terms: readonly TermDefinition[] }) {
  const t = useTranslations('catalogue')
  const tTerms = useTranslations('terms')
  const locale = useLocale()
  return (
    <article
      className={`flex gap-3 ${LINKED_CARD}`}
      data-testid="catalogue-card"
      data-product-code={product.code}
      data-opened={product.opened}
    >
      <ProductAvatar code={product.code} orgName={product.orgName} />
      <div className="min-w-0 flex-1">
        <CardTitleLink productCode={product.code} arrangementType={arrangementType} label={t('detailsLabel', { name: product.name })}>
          {product.name}
        </CardTitleLink>
        <p className="mt-0.5 truncate text-sm text-muted">{product.orgName}</p>
        <p className="mt-1.5 line-clamp-2 text-[0.8125rem] leading-relaxed text-muted">{product.description}</p>
        {!product.opened && terms.length > 0 ? (
          // above the card's stretched link, so that it opens rather than following the link
          <details className="relative z-10 mt-2" data-testid="catalogue-terms" aria-label={t('termsLabel', { name: product.name })}>
            <summary className="inline-flex min-h-9 cursor-pointer items-center text-[0.8125rem] text-brand-strong">{t('termsSummary')}</summary>
            <div className="pt-2 pb-1">
              <TermFields terms={terms} mode="open" idPrefix={`catalogue-${product.code}`} form={openFormId(product.code)} locale={locale} optionalLabel={tTerms('optional')} />
            </div>
          </details>
        ) : null}
      </div>
      <div className="relative z-10 shrink-0 self-center">
        <OpenAgreementForm
          productCode={product.code}
          opened={product.opened}
          arrangementType={arrangementType}
          locale={locale}
          text={{ opened: t('opened'), open: t('open'), opening: t('opening'), openLabel: t('openLabel', { name: product.name }), optional: tTerms('optional') }}
        />
      </div>
    </article>
  )
}
