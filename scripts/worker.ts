// `npm run worker`: delivers the merchants' webhooks in a process of its own
// (docs/merchants.md#notifications). The app delivers them itself unless
// WEBHOOK_DELIVERY=off; an operator who wants delivery apart from the web
// process sets that on the app and runs this beside it, as many as wanted: pg-boss
// hands each job to one worker at a time, and one relay at a time feeds the queue.
// The embedded database belongs to one process: there the app delivers, or this
// runs while the app does not.
import { ConfigError, config } from '@/lib/config'
import { closeDatabase, embeddedDatabase } from '@/lib/db'
import { logger } from '@/lib/observability/logger'
import { startDelivery } from '@/lib/webhooks/delivery-loop'

try {
  config()
} catch (error) {
  if (!(error instanceof ConfigError)) throw error
  console.error(error.message)
  process.exit(1)
}

if (!config().DATABASE_URL && !(await embeddedDatabase().catch(() => null))) {
  console.error('The embedded database is open in another process (the app delivers the webhooks itself). Run a worker on PostgreSQL (DATABASE_URL), or stop the app first.')
  process.exit(1)
}

const delivery = startDelivery(logger.child({ component: 'webhook-worker' }))
void delivery.started.then(() => logger.info({ tenant: config().FC_TENANT_ID }, 'webhook worker started'))

let stopping = false
async function stop(signal: NodeJS.Signals) {
  if (stopping) return
  stopping = true
  logger.info({ signal }, 'webhook worker stopping: finishing the attempts in flight')
  await delivery.stop()
  await closeDatabase()
  process.exit(0)
}
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => void stop(signal))
