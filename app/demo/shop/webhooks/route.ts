import { Webhook, WebhookVerificationError } from 'standardwebhooks'
import { demoShopMerchant, demoShopSigningSecret } from '@/lib/demo-shop/demo-shop-merchant'
import { keepDemoShopEvent, listDemoShopEvents } from '@/lib/demo-shop/demo-shop-events'
import { SIGN_REQUEST_ID } from '@/lib/signing/sign-link'

// The demo shop's webhook receiver (docs/merchants.md#the-demo-shop): what a merchant's
// own server does with our events, inside the app so a demo needs no second program.
// Everything here exists on a database marked demo only, 404 elsewhere.

const MAX_BODY = 8192
const notFound = () => Response.json({ error: 'not found' }, { status: 404 })

/** One event: kept only once its signature verifies with the demo merchant's signing secret. */
export async function POST(request: Request) {
  const shop = await demoShopMerchant()
  if (!shop) return notFound()
  const secret = await demoShopSigningSecret(shop.merchantId)
  if (!secret) return Response.json({ error: 'the demo shop has no signing secret' }, { status: 409 })
  const body = await request.text()
  if (body.length > MAX_BODY) return Response.json({ error: `the body is over ${MAX_BODY} characters` }, { status: 413 })
  const headers = {
    'webhook-id': request.headers.get('webhook-id') ?? '',
    'webhook-timestamp': request.headers.get('webhook-timestamp') ?? '',
    'webhook-signature': request.headers.get('webhook-signature') ?? '',
  }
  try {
    new Webhook(secret).verify(body, headers)
  } catch (error) {
    if (error instanceof WebhookVerificationError) return Response.json({ error: `signature not verified: ${error.message}` }, { status: 400 })
    throw error
  }
  await keepDemoShopEvent(headers['webhook-id'], body)
  return new Response(null, { status: 204 })
}

/** The events received and verified, newest first, for the shop's page to poll (?signRequestId= for one request's). */
export async function GET(request: Request) {
  if (!(await demoShopMerchant())) return notFound()
  const id = new URL(request.url).searchParams.get('signRequestId') ?? undefined
  if (id !== undefined && !SIGN_REQUEST_ID.test(id)) return Response.json({ error: 'signRequestId: must be sr_ and 24 hex digits' }, { status: 400 })
  return Response.json({ events: await listDemoShopEvents(id) }, { headers: { 'cache-control': 'no-store' } })
}
