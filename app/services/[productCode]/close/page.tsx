import type { Metadata } from 'next'
import { notFound } from 'next/navigation'
import { getTranslations } from 'next-intl/server'
import { CloseConfirm } from '@/components/services/close-confirm'
import { requireSession } from '@/lib/auth/session-guard'
import { loadDeduction } from '../load-deduction'

type Params = Promise<{ productCode: string }>

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('close')
  return { title: t('title') }
}

export default async function CloseServicePage({ params }: { params: Params }) {
  const { productCode } = await params
  const session = await requireSession(`/services/${encodeURIComponent(productCode)}/close`)
  const detail = await loadDeduction(session, productCode)
  if (!detail) notFound()

  const { product, openedAt } = detail
  const t = await getTranslations('close')
  const names = { org: product.orgName, name: product.name }
  return (
    <div className="mx-auto max-w-md pt-2">
      <CloseConfirm
        productCode={product.code}
        productName={product.name}
        orgName={product.orgName}
        opened={openedAt !== null}
        text={{
          heading: t('heading'),
          body: t('body', names),
          confirm: t('confirm'),
          closing: t('closing'),
          cancel: t('cancel'),
          notOpen: t('notOpen', names),
          done: t('done'),
          closedHeading: t('closedHeading'),
          notOpenHeading: t('notOpenHeading'),
          closedBody: t('closedBody', names),
        }}
      />
    </div>
  )
}
