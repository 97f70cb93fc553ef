import { isDemoDatabase } from '@/lib/db/database-mark'
import { demoShopReceiverUrl } from '@/lib/demo-shop/demo-shop-address'

/**
 * Whether a webhook to `url` may go to a private or loopback address although
 * WEBHOOK_ALLOW_PRIVATE is off: only the demo shop's own receiver in this app, to
 * exactly its address, on a database marked demo. Turning WEBHOOK_ALLOW_PRIVATE on
 * for a demo would open every merchant's endpoint to the internal network; this
 * opens the one address the app itself answers on, and nothing on a real database.
 */
export async function isDemoShopDelivery(url: string): Promise<boolean> {
  return url === demoShopReceiverUrl() && (await isDemoDatabase().catch(() => false))
}
