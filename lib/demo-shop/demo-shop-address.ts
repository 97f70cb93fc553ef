import { config } from '@/lib/config'

/** Where the demo shop lives in this app (docs/merchants.md#the-demo-shop). */
export const DEMO_SHOP_PATH = '/demo/shop'

/** The demo shop's own webhook receiver: the demo merchant's endpoint, set by demo:seed. */
export const DEMO_SHOP_RECEIVER_PATH = `${DEMO_SHOP_PATH}/webhooks`
export const demoShopReceiverUrl = () => new URL(DEMO_SHOP_RECEIVER_PATH, config().publicUrl).toString()

/** Where the sign page sends the browser back to the shop. */
export const demoShopReturnUrl = () => new URL(`${DEMO_SHOP_PATH}/return`, config().publicUrl).toString()
