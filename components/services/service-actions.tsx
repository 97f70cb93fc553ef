'use client'

import Link from 'next/link'
import { useTranslations } from 'next-intl'
import { buttonClass } from '@/components/ui/button-styles'
import { Card } from '@/components/ui/card'
import { OpenServiceForm } from '@/components/services/open-service-form'
import { serviceHref } from '@/components/services/service-card'

/**
 * The bottom of a service's detail page: the danger zone leading to the close
 * confirmation when it is open, the open form when it is not. One component for
 * both, so that after opening (and the page's revalidation) the outcome stays on screen.
 */
export function ServiceActions({
  productCode,
  productName,
  orgName,
  opened,
}: {
  productCode: string
  productName: string
  orgName: string
  opened: boolean
}) {
  const t = useTranslations('detail')
  if (opened) {
    return (
      <section aria-labelledby="danger-zone-title" className="mt-10" data-testid="danger-zone">
        <h2 id="danger-zone-title" className="mb-2 px-1 text-[0.8125rem] font-medium text-danger">
          {t('dangerZone')}
        </h2>
        <Card className="p-4">
          <p className="text-sm text-muted">{t('dangerBody', { org: orgName })}</p>
          <Link
            href={`${serviceHref(productCode)}/close`}
            className={buttonClass('danger-outline', 'lg', 'mt-4 sm:w-auto sm:px-8')}
            data-testid="close-service-link"
          >
            {t('closeLink')}
          </Link>
        </Card>
      </section>
    )
  }
  return (
    <section aria-labelledby="open-title" className="mt-10" data-testid="open-zone">
      <h2 id="open-title" className="mb-2 px-1 text-[0.8125rem] font-medium text-muted">
        {t('openTitle')}
      </h2>
      <Card className="p-4">
        <p className="mb-4 text-sm text-muted">{t('openBody', { org: orgName })}</p>
        <OpenServiceForm productCode={productCode} productName={productName} opened={false} size="lg" />
      </Card>
    </section>
  )
}
