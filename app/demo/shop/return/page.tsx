import type { Metadata } from 'next'
import Link from 'next/link'
import { notFound } from 'next/navigation'
import { getTranslations } from 'next-intl/server'
import { ReceivedEvents } from '@/components/demo-shop/received-events'
import { Card } from '@/components/ui/card'
import { Notice } from '@/components/ui/notice'
import { PageHeading } from '@/components/ui/page-heading'
import { DomainError } from '@/lib/errors'
import { DEMO_SHOP_PATH } from '@/lib/demo-shop/demo-shop-address'
import { demoShopMerchant } from '@/lib/demo-shop/demo-shop-merchant'
import { querySignRequest } from '@/lib/signing/query-sign-request'

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('demoShop')
  return { title: t('title') }
}

/**
 * Where the sign page sends the customer back to. The signStatus in the address is
 * only a hint anyone could type: the shop asks QuerySignRequest and shows that.
 */
export default async function DemoShopReturnPage({ searchParams }: { searchParams: Promise<{ signRequestId?: string; signStatus?: string }> }) {
  const shop = await demoShopMerchant()
  if (!shop) notFound()
  const [t, given] = await Promise.all([getTranslations('demoShop'), searchParams])
  const state = given.signRequestId
    ? await querySignRequest(shop, { signRequestId: given.signRequestId }).catch((error: unknown) => {
        if (error instanceof DomainError) return null
        throw error
      })
    : null
  return (
    <>
      <PageHeading title={t('returnHeading')} />
      {state ? (
        <Card className="space-y-3 px-5 py-5">
          <p className="text-sm">
            {t('confirmedStatus')}{' '}
            <strong data-testid="shop-confirmed-status" data-status={state.status}>
              {t(`signStatus.${state.status}`)}
            </strong>
          </p>
          <p className="text-xs text-muted">{t('confirmedHow', { reference: state.merchantReference })}</p>
          {given.signStatus && given.signStatus !== state.status ? (
            <Notice tone="warning" data-testid="shop-return-mismatch">
              {t('returnMismatch')}
            </Notice>
          ) : null}
          <Link href={`${DEMO_SHOP_PATH}/orders/${state.id}`} className="block text-sm text-brand-strong underline">
            {t('viewOrder')}
          </Link>
        </Card>
      ) : (
        <Notice tone="warning" data-testid="shop-confirmed-status" data-status="UNKNOWN">
          {t('returnUnknown')}
        </Notice>
      )}
      {state ? <ReceivedEvents signRequestId={state.id} text={{ title: t('eventsTitle'), empty: t('eventsEmpty'), verified: t('verified') }} /> : null}
    </>
  )
}
