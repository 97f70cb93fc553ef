import Link from 'next/link'
import { getTranslations } from 'next-intl/server'
import { buttonClass } from '@/components/ui/button-styles'
import { Notice } from '@/components/ui/notice'

/**
 * What the list shows for a page link this service did not hand to this user (edited,
 * cut short, another account's, or from before page links were sealed): what happened
 * in plain words and the way back to the first page, rather than an error page.
 */
export async function BadPageToken() {
  const t = await getTranslations('services')
  return (
    <Notice tone="warning" title={t('badPageTokenTitle')} data-testid="bad-page-token">
      <p>{t('badPageTokenBody')}</p>
      <Link href="/services" className={`${buttonClass('secondary', 'sm')} mt-3`} data-testid="first-page">
        {t('firstPage')}
      </Link>
    </Notice>
  )
}
