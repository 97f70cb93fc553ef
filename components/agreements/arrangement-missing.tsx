import { getTranslations } from 'next-intl/server'
import { Notice } from '@/components/ui/notice'
import { PageHeading } from '@/components/ui/page-heading'

/**
 * What a page of the deduction arrangement shows when there is none (code 15, an
 * operator's doing): its heading and the code's own words, rather than an error page.
 */
export async function ArrangementMissing({ heading }: { heading: string }) {
  const t = await getTranslations('codes')
  return (
    <>
      <PageHeading title={heading} />
      <Notice tone="warning" data-testid="arrangement-missing">
        {t('15')}
      </Notice>
    </>
  )
}
