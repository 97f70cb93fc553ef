import Link from 'next/link'
import { getLocale, getTranslations } from 'next-intl/server'
import { buttonClass } from '@/components/ui/button-styles'
import { Card } from '@/components/ui/card'
import { OpenAgreementForm } from '@/components/agreements/open-agreement-form'
import { ChangeTermsForm } from '@/components/agreements/change-terms-form'
import { closeHref } from '@/components/agreements/agreement-href'
import type { TermDefinition, TermValues } from '@/lib/agreements/arrangement-terms'
import { DEDUCTION } from '@/lib/agreements/arrangement-types'

/**
 * The bottom of an agreement's detail page: the change of its changeable terms and the danger zone leading to the close
 * confirmation when it is open, the open form when it is not. One component for
 * both, so that after opening (and the page's revalidation) the outcome stays on screen.
 * A server component: only the open form in it runs in the browser.
 */
export async function AgreementActions({
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
  terms: readonly TermDefinition[]
  values: TermValues
  idempotencyKey: string
}) {
  const [t, tc, tTerms, locale] = await Promise.all([getTranslations('detail'), getTranslations('catalogue'), getTranslations('terms'), getLocale()])
  if (opened) {
    return (
      <>
        {terms.some((term) => term.changeable) ? (
          <Zone id="change-terms-title" testId="change-zone" title={tTerms('changeTitle')} tone="text-muted">
            <p className="mb-4 text-sm text-muted">{tTerms('changeBody')}</p>
            <ChangeTermsForm
              productCode={productCode}
              arrangementType={arrangementType}
              terms={terms}
              values={values}
              idempotencyKey={idempotencyKey}
              locale={locale}
              text={{ save: tTerms('save'), saving: tTerms('saving'), optional: tTerms('optional') }}
            />
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
      <OpenAgreementForm
        productCode={productCode}
        opened={false}
        size="lg"
        arrangementType={arrangementType}
        terms={terms}
        locale={locale}
        text={{ opened: tc('opened'), open: tc('open'), opening: tc('opening'), openLabel: tc('openLabel', { name: productName }), optional: tTerms('optional') }}
      />
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
