import type { Metadata } from 'next'
import { notFound } from 'next/navigation'
import { getTranslations } from 'next-intl/server'
import { startOrderAction } from '@/app/actions/demo-shop-actions'
import { ReceivedEvents } from '@/components/demo-shop/received-events'
import { buttonClass } from '@/components/ui/button-styles'
import { Card } from '@/components/ui/card'
import { Notice } from '@/components/ui/notice'
import { PageHeading } from '@/components/ui/page-heading'
import { demoShopMerchant } from '@/lib/demo-shop/demo-shop-merchant'

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('demoShop')
  return { title: t('title') }
}

const METHODS = ['DEFAULT_ORDER', 'BALANCE_FIRST', 'BANK_CARD'] as const

/**
 * The demo shop (docs/merchants.md#the-demo-shop): a bike-sharing shop that asks its
 * customer to sign the password-free payment agreement, as a real merchant would
 * through the merchant API. On a database marked demo only.
 */
export default async function DemoShopPage({ searchParams }: { searchParams: Promise<{ problem?: string }> }) {
  if (!(await demoShopMerchant())) notFound()
  const [t, { problem }] = await Promise.all([getTranslations('demoShop'), searchParams])
  return (
    <>
      <PageHeading title={t('heading')} intro={t('intro')} />
      {problem === 'origin' ? (
        <Notice tone="danger" className="mb-4">
          {t('problemOrigin')}
        </Notice>
      ) : null}
      <Card className="px-5 py-5">
        <form action={startOrderAction} className="space-y-4">
          <fieldset>
            <legend className="text-sm font-semibold">{t('chooseMethod')}</legend>
            <div className="mt-2 space-y-2">
              {METHODS.map((m, i) => (
                <label key={m} className="flex items-center gap-3 text-sm">
                  <input type="radio" name="paymentMethod" value={m} defaultChecked={i === 0} data-testid={`shop-method-${m}`} />
                  {t(`method.${m}`)}
                </label>
              ))}
            </div>
          </fieldset>
          <button type="submit" className={buttonClass('primary', 'lg')} data-testid="shop-start">
            {t('start')}
          </button>
        </form>
      </Card>
      <ReceivedEvents text={{ title: t('eventsTitle'), empty: t('eventsEmpty'), verified: t('verified') }} />
    </>
  )
}
