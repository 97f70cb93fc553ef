import type { Metadata } from 'next'
import { notFound } from 'next/navigation'
import { getTranslations } from 'next-intl/server'
import { ArrangementMissing } from '@/components/agreements/arrangement-missing'
import { CloseConfirm } from '@/components/agreements/close-confirm'
import { closeHref } from '@/components/agreements/agreement-card'
import { requireSession } from '@/lib/auth/session-guard'
import { arrangementTypeParam, loadAgreement } from '../load-agreement'

type Params = Promise<{ productCode: string }>
type SearchParams = Promise<Record<string, string | string[] | undefined>>

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('close')
  return { title: t('title') }
}

export default async function CloseAgreementPage({ params, searchParams }: { params: Params; searchParams: SearchParams }) {
  const { productCode } = await params
  const arrangementType = arrangementTypeParam(await searchParams)
  const session = await requireSession(closeHref(productCode, arrangementType))
  const detail = await loadAgreement(session, productCode, arrangementType)
  if (!detail) notFound()

  const t = await getTranslations('close')
  if (detail === 'no-arrangement') return <ArrangementMissing heading={t('title')} />
  const { product, openedAt } = detail
  const names = { org: product.orgName, name: product.name }
  return (
    <div className="mx-auto max-w-md pt-2">
      <CloseConfirm
        productCode={product.code}
        productName={product.name}
        orgName={product.orgName}
        opened={openedAt !== null}
        arrangementType={arrangementType}
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
