// `npm run worker`: delivers the merchants' webhooks in a process of its own
// (docs/merchants.md#notifications). The app delivers them itself unless
// WEBHOOK_DELIVERY=off; an operator who wants delivery apart from the web
// process sets that on the app and runs this beside it, as many as wanted: each
// round leases its events (SKIP LOCKED), so workers and apps never send one
// event at once. On the embedded database only one process may open it, so
// there the app delivers, or this runs while the app does not.
import { ConfigError, config } from '@/lib/config'
import { closeDatabase } from '@/lib/db'
import { logger } from '@/lib/observability/logger'
import { startDelivery } from '@/lib/webhooks/delivery-loop'

try {
  config()
} catch (error) {
  if (!(error instanceof ConfigError)) throw error
  console.error(error.message)
  process.exit(1)
}

const delivery = startDelivery(logger.child({ component: 'webhook-worker' }))
logger.info({ tenant: config().FC_TENANT_ID }, 'webhook worker started')

let stopping = false
async function stop(signal: NodeJS.Signals) {
  if (stopping) return
  stopping = true
  logger.info({ signal }, 'webhook worker stopping: finishing the round in flight')
  await delivery.stop()
  await closeDatabase()
  process.exit(0)
}
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => void stop(signal))
