'use client'

import Link from 'next/link'
import { useTranslations } from 'next-intl'
import { buttonClass } from '@/components/ui/button-styles'
import { Card } from '@/components/ui/card'
import { OpenServiceForm } from '@/components/services/open-service-form'
import { closeHref } from '@/components/services/service-card'
import { ChangeTermsForm } from '@/components/services/change-terms-form'
import type { TermDefinition, TermValues } from '@/lib/services/arrangement-properties'
import { DEDUCTION } from '@/lib/services/arrangement-types'

/**
 * The bottom of a service's detail page: the change of its changeable terms and the danger zone leading to the close
 * confirmation when it is open, the open form when it is not. One component for
 * both, so that after opening (and the page's revalidation) the outcome stays on screen.
 */
export function ServiceActions({
  productCode,
  productName,
  orgName,
  opened,
  arrangementType = DEDUCTION,
  terms,
  values,
  idempotencyKey,
}: {
  productCode: string
  productName: string
  orgName: string
  opened: boolean
  arrangementType?: string
  terms: TermDefinition[]
  values: TermValues
  idempotencyKey: string
}) {
  const t = useTranslations('detail')
  const tTerms = useTranslations('terms')
  if (opened) {
    return (
      <>
        {terms.some((term) => term.changeable) ? (
          <Zone id="change-terms-title" testId="change-zone" title={tTerms('changeTitle')} tone="text-muted">
            <p className="mb-4 text-sm text-muted">{tTerms('changeBody')}</p>
            <ChangeTermsForm productCode={productCode} arrangementType={arrangementType} terms={terms} values={values} idempotencyKey={idempotencyKey} />
          </Zone>
        ) : null}
        <Zone id="danger-zone-title" testId="danger-zone" title={t('dangerZone')} tone="text-danger">
          <p className="text-sm text-muted">{t('dangerBody', { org: orgName })}</p>
          <Link
            href={closeHref(productCode, arrangementType)}
            className={buttonClass('danger-outline', 'lg', 'mt-4 sm:w-auto sm:px-8')}
            data-testid="close-service-link"
          >
            {t('closeLink')}
          </Link>
        </Zone>
      </>
    )
  }
  return (
    <Zone id="open-title" testId="open-zone" title={t('openTitle')} tone="text-muted">
      <p className="mb-4 text-sm text-muted">{t('openBody', { org: orgName })}</p>
      <OpenServiceForm productCode={productCode} productName={productName} opened={false} size="lg" arrangementType={arrangementType} terms={terms} />
    </Zone>
  )
}

/** A titled section of the detail page's bottom, its body on a card. */
function Zone({ id, testId, title, tone, children }: { id: string; testId: string; title: string; tone: string; children: React.ReactNode }) {
  return (
    <section aria-labelledby={id} className="mt-10" data-testid={testId}>
      <h2 id={id} className={`mb-2 px-1 text-[0.8125rem] font-medium ${tone}`}>
        {title}
      </h2>
      <Card className="p-4">{children}</Card>
    </section>
  )
}
