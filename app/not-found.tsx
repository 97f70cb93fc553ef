import type { Metadata } from 'next'
import Link from 'next/link'
import { getTranslations } from 'next-intl/server'
import { buttonClass } from '@/components/ui/button-styles'
import { Card } from '@/components/ui/card'

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('errors')
  return { title: t('notFoundTitle') }
}

export default async function NotFound() {
  const t = await getTranslations('errors')
  return (
    <Card className="mx-auto mt-4 flex max-w-md flex-col items-center px-6 py-10 text-center" data-testid="not-found">
      <p aria-hidden="true" className="text-4xl font-semibold tracking-tight text-muted/80">
        404
      </p>
      <h1 className="mt-3 text-lg font-semibold">{t('notFoundTitle')}</h1>
      <p className="mt-1 text-sm text-muted">{t('notFoundBody')}</p>
      <Link href="/services" className={buttonClass('primary', 'md', 'mt-6')}>
        {t('home')}
      </Link>
    </Card>
  )
}
