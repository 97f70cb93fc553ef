'use server'

import { randomBytes } from 'node:crypto'
import { notFound, redirect } from 'next/navigation'
import { revalidatePath } from 'next/cache'
import { isSameOrigin } from '@/lib/forms/same-origin'
import { DEMO_SHOP_PATH, demoShopReturnUrl } from '@/lib/demo-shop/demo-shop-address'
import { demoShopMerchant } from '@/lib/demo-shop/demo-shop-merchant'
import { DEMO_SHOP_PRODUCT } from '@/lib/demo-shop/seed-demo-shop'
import { cancelSignRequest } from '@/lib/signing/cancel-sign-request'
import { createSignRequest } from '@/lib/signing/create-sign-request'
import { SIGN_REQUEST_ID } from '@/lib/signing/sign-link'

// The demo shop's server side: it calls the merchant API's functions as its own merchant,
// with the key demo:seed made for it; the browser only ever sees the sign link.

const PAYMENT_METHODS = new Set(['DEFAULT_ORDER', 'BALANCE_FIRST', 'BANK_CARD'])

async function shopOrNotFound() {
  const shop = await demoShopMerchant()
  if (!shop) notFound()
  return shop
}

/** A new bike pass order: a sign request for the Mobike product with the chosen payment method. */
export async function startOrderAction(formData: FormData): Promise<void> {
  const shop = await shopOrNotFound()
  if (!(await isSameOrigin())) redirect(`${DEMO_SHOP_PATH}?problem=origin`)
  const method = formData.get('paymentMethod')
  const paymentMethod = typeof method === 'string' && PAYMENT_METHODS.has(method) ? method : 'DEFAULT_ORDER'
  const created = await createSignRequest(shop, {
    productCode: DEMO_SHOP_PRODUCT,
    merchantReference: `bike-pass-${randomBytes(6).toString('hex')}`,
    returnUrl: demoShopReturnUrl(),
    propertyValues: { paymentMethod },
  })
  redirect(`${DEMO_SHOP_PATH}/orders/${created.signRequestId}`)
}

/** The shop withdraws its request while the customer has not answered yet. */
export async function cancelOrderAction(formData: FormData): Promise<void> {
  const shop = await shopOrNotFound()
  const id = formData.get('signRequestId')
  if (typeof id !== 'string' || !SIGN_REQUEST_ID.test(id)) redirect(DEMO_SHOP_PATH)
  if (!(await isSameOrigin())) redirect(`${DEMO_SHOP_PATH}/orders/${id}?problem=origin`)
  await cancelSignRequest(shop, { signRequestId: id })
  revalidatePath(`${DEMO_SHOP_PATH}/orders/${id}`)
  redirect(`${DEMO_SHOP_PATH}/orders/${id}`)
}
