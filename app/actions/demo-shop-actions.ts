'use server'

import { randomBytes } from 'node:crypto'
import { notFound, redirect } from 'next/navigation'
import { revalidatePath } from 'next/cache'
import { z } from 'zod'
import { formAction } from '@/app/actions/form-action'
import { DEMO_SHOP_PATH, demoShopReturnUrl } from '@/lib/demo-shop/demo-shop-address'
import { demoShopMerchant } from '@/lib/demo-shop/demo-shop-merchant'
import { DEMO_SHOP_PRODUCT } from '@/lib/demo-shop/seed-demo-shop'
import { cancelSignRequest } from '@/lib/signing/cancel-sign-request'
import { createSignRequest } from '@/lib/signing/create-sign-request'
import { SIGN_REQUEST_ID } from '@/lib/signing/sign-link'

// The demo shop's server side: it calls the merchant API's functions as its own merchant,
// with the key demo:seed made for it; the browser only ever sees the sign link.

const PAYMENT_METHODS = ['DEFAULT_ORDER', 'BALANCE_FIRST', 'BANK_CARD'] as const

async function shopOrNotFound() {
  const shop = await demoShopMerchant()
  if (!shop) notFound()
  return shop
}

// an unknown or missing payment method is the shop's default one
const orderForm = z.object({ paymentMethod: z.enum(PAYMENT_METHODS).catch('DEFAULT_ORDER') })

const startOrder = formAction(
  orderForm,
  { malformed: () => redirect(DEMO_SHOP_PATH), crossOrigin: () => redirect(`${DEMO_SHOP_PATH}?problem=origin`) },
  async ({ paymentMethod }): Promise<void> => {
    const shop = await shopOrNotFound()
    const created = await createSignRequest(shop, {
      productCode: DEMO_SHOP_PRODUCT,
      merchantReference: `bike-pass-${randomBytes(6).toString('hex')}`,
      returnUrl: demoShopReturnUrl(),
      propertyValues: { paymentMethod },
    })
    redirect(`${DEMO_SHOP_PATH}/orders/${created.signRequestId}`)
  },
)

/** A new bike pass order: a sign request for the Mobike product with the chosen payment method. */
export async function startOrderAction(formData: FormData): Promise<void> {
  return startOrder(formData)
}

const cancelForm = z.object({ signRequestId: z.string().regex(SIGN_REQUEST_ID) })

const cancelOrder = formAction(
  cancelForm,
  { malformed: () => redirect(DEMO_SHOP_PATH), crossOrigin: ({ signRequestId }) => redirect(`${DEMO_SHOP_PATH}/orders/${signRequestId}?problem=origin`) },
  async ({ signRequestId: id }): Promise<void> => {
    const shop = await shopOrNotFound()
    await cancelSignRequest(shop, { signRequestId: id })
    revalidatePath(`${DEMO_SHOP_PATH}/orders/${id}`)
    redirect(`${DEMO_SHOP_PATH}/orders/${id}`)
  },
)

/** The shop withdraws its request while the customer has not answered yet. */
export async function cancelOrderAction(formData: FormData): Promise<void> {
  return cancelOrder(formData)
}
