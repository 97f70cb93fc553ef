import type { Metadata } from 'next'
import Link from 'next/link'
import { notFound } from 'next/navigation'
import { getTranslations } from 'next-intl/server'
import { cancelOrderAction } from '@/app/actions/demo-shop-actions'
import { ReceivedEvents } from '@/components/demo-shop/received-events'
import { SignQrCode } from '@/components/signing/sign-qr-code'
import { SignStatusWatch } from '@/components/signing/sign-status-watch'
import { buttonClass } from '@/components/ui/button-styles'
import { Card } from '@/components/ui/card'
import { PageHeading } from '@/components/ui/page-heading'
import { DomainError } from '@/lib/errors'
import { DEMO_SHOP_PATH } from '@/lib/demo-shop/demo-shop-address'
import { demoShopMerchant } from '@/lib/demo-shop/demo-shop-merchant'
import { querySignRequest } from '@/lib/signing/query-sign-request'
import { signToken, signUrl } from '@/lib/signing/sign-link'

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('demoShop')
  return { title: t('title') }
}

/**
 * One order of the demo shop: where its sign request stands (asked with
 * QuerySignRequest), the sign link and its QR code while it is pending, a way for
 * the shop to cancel it, and the events received for it.
 */
export default async function DemoShopOrderPage({ params }: { params: Promise<{ signRequestId: string }> }) {
  const shop = await demoShopMerchant()
  if (!shop) notFound()
  const { signRequestId } = await params
  const state = await querySignRequest(shop, { signRequestId }).catch((error: unknown) => {
    if (error instanceof DomainError) notFound()
    throw error
  })
  const t = await getTranslations('demoShop')
  // the signUrl CreateSignRequest answered: the same link again from the request's id (lib/signing/sign-link.ts)
  const link = signUrl(signToken(shop.tenantId, state.id))
  const pending = state.status === 'PENDING'
  return (
    <>
      <PageHeading title={t('orderHeading')} intro={state.merchantReference} />
      <Card className="space-y-4 px-5 py-5">
        <p className="text-sm">
          {t('status')}{' '}
          <strong data-testid="shop-order-status" data-status={state.status}>
            {t(`signStatus.${state.status}`)}
          </strong>
        </p>
        {pending ? (
          <>
            <p className="text-sm">{t('sendLink')}</p>
            <a href={link} className={buttonClass('primary', 'lg')} data-testid="shop-sign-link">
              {t('openLink')}
            </a>
            <SignQrCode url={link} caption={t('scan')} />
            <form action={cancelOrderAction}>
              <input type="hidden" name="signRequestId" value={state.id} />
              <button type="submit" className={buttonClass('secondary', 'lg')} data-testid="shop-cancel">
                {t('cancel')}
              </button>
            </form>
            <SignStatusWatch token={signToken(shop.tenantId, state.id)} />
          </>
        ) : null}
        <Link href={DEMO_SHOP_PATH} className="block text-sm text-brand-strong underline">
          {t('back')}
        </Link>
      </Card>
      <ReceivedEvents signRequestId={state.id} text={{ title: t('eventsTitle'), empty: t('eventsEmpty'), verified: t('verified') }} />
    </>
  )
}
