import { useTranslations } from 'next-intl'
import { OpenServiceForm } from '@/components/services/open-service-form'
import { ProductAvatar } from '@/components/services/product-avatar'
import { CardTitleLink } from '@/components/services/service-card'

export type CatalogueProduct = { code: string; name: string; orgName: string; description: string; opened: boolean }

/** A product that can be opened: name (leading to its terms), organisation, description, and 开通 or 已开通. */
export function CatalogueCard({ product }: { product: CatalogueProduct }) {
  const t = useTranslations('catalogue')
  return (
    <article
      className="relative flex gap-3 rounded-card bg-card p-4 shadow-[0_1px_2px_rgb(0_0_0/0.04)] transition-shadow hover:shadow-md has-[a[data-card-link]:focus-visible]:outline-2 has-[a[data-card-link]:focus-visible]:outline-offset-2 has-[a[data-card-link]:focus-visible]:outline-brand-strong"
      data-testid="catalogue-card"
      data-product-code={product.code}
      data-opened={product.opened}
    >
      <ProductAvatar code={product.code} orgName={product.orgName} />
      <div className="min-w-0 flex-1">
        <CardTitleLink productCode={product.code} label={t('detailsLabel', { name: product.name })}>
          {product.name}
        </CardTitleLink>
        <p className="mt-0.5 truncate text-sm text-muted">{product.orgName}</p>
        <p className="mt-1.5 line-clamp-2 text-[0.8125rem] leading-relaxed text-muted">{product.description}</p>
      </div>
      <div className="relative z-10 shrink-0 self-center">
        <OpenServiceForm
          productCode={product.code}
          opened={product.opened}
          text={{ opened: t('opened'), open: t('open'), opening: t('opening'), openLabel: t('openLabel', { name: product.name }) }}
        />
      </div>
    </article>
  )
}
