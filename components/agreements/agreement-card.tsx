import Link from 'next/link'
import { useLocale, useTranslations } from 'next-intl'
import { ProductAvatar } from '@/components/agreements/product-avatar'
import { closeHref, agreementHref } from '@/components/agreements/agreement-href'
import { LocalTime } from '@/components/time/local-time'
import { LINKED_CARD } from '@/components/ui/card'

export type AgreementCardItem = { productCode: string; productName: string; productOrgName: string; openedAt: Date }

export { closeHref, agreementHref }

/** A card's title, linked to the agreement's detail page; the link stretches over the whole card (which is `relative`). */
export function CardTitleLink({
  productCode,
  arrangementType,
  label,
  children,
}: {
  productCode: string
  arrangementType?: string
  label?: string
  children: React.ReactNode
}) {
  return (
    <h2 className="text-[0.9375rem] leading-snug font-medium">
      <Link href={agreementHref(productCode, arrangementType)} data-card-link aria-label={label} className="after:absolute after:inset-0 after:rounded-card focus-visible:outline-none">
        {children}
      </Link>
    </h2>
  )
}

/**
 * One open agreement: the whole card leads to its detail page (a stretched link), and
 * the 关闭 button sits above that link so each keeps its own target.
 */
export function AgreementCard({ item, termsSummary }: { item: AgreementCardItem; termsSummary?: string }) {
  const t = useTranslations('services')
  const locale = useLocale()
  return (
    <article
      className={`flex items-center gap-3 ${LINKED_CARD}`}
      data-testid="service-card"
      data-product-code={item.productCode}
    >
      <ProductAvatar code={item.productCode} orgName={item.productOrgName} />
      <div className="min-w-0 flex-1">
        <CardTitleLink productCode={item.productCode}>{item.productName}</CardTitleLink>
        <p className="mt-0.5 truncate text-sm text-muted">{item.productOrgName}</p>
        {termsSummary ? (
          <p className="mt-0.5 truncate text-xs text-muted" data-testid="service-terms">
            {termsSummary}
          </p>
        ) : null}
        <p className="mt-0.5 text-xs text-muted">
          {t.rich('since', { date: () => <LocalTime iso={item.openedAt.toISOString()} locale={locale} style="date" /> })}
        </p>
      </div>
      <Link
        href={closeHref(item.productCode)}
        aria-label={t('closeLabel', { name: item.productName })}
        data-testid="service-close-link"
        className="relative z-10 inline-flex min-h-9 shrink-0 items-center rounded-full px-4 text-sm text-ink ring-1 ring-line ring-inset hover:bg-danger-soft hover:text-danger hover:ring-danger/40"
      >
        {t('close')}
      </Link>
    </article>
  )
}
