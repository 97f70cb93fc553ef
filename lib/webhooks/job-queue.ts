import { fromPglite, PgBoss } from 'pg-boss'
import type { Logger } from 'pino'
import { config } from '@/lib/config'
import { embeddedDatabase } from '@/lib/db'
import { attemptLeaseSeconds, DELIVERY_QUEUE, deliveryQueueOptions } from '@/lib/webhooks/queue-settings'

/**
 * pg-boss on the app's database (docs/merchants.md#notifications): on PostgreSQL a
 * small pool of its own, in the `pgboss` schema it creates and migrates itself; on
 * the embedded database, the PGlite this process owns, through pg-boss's own PGlite
 * adapter. A process that does not own the embedded database (the app does, and
 * delivers itself) cannot run the queue.
 */
export async function startJobQueue(logger: Logger): Promise<PgBoss> {
  const c = config()
  const pglite = c.DATABASE_URL ? null : await embeddedDatabase()
  if (!c.DATABASE_URL && !pglite) {
    throw new Error('the embedded database is open in the running app, which delivers the webhooks itself; run a worker only on PostgreSQL')
  }
  // how often pg-boss looks for jobs whose lease ran out; its expiry runs in the monitor's pass,
  // which only comes every monitorIntervalSeconds, so both are set (pg-boss's default is a minute)
  const supervise = Math.min(10, Math.max(1, Math.ceil(attemptLeaseSeconds(c) / 2)))
  const boss = new PgBoss({
    ...(pglite ? { db: fromPglite(pglite), backend: 'pglite' as const } : { connectionString: c.DATABASE_URL, max: 2, application_name: 'fcdeduction-webhooks' }),
    schema: 'pgboss',
    // no cron schedules here; the supervisor takes back the jobs of a process that died mid-attempt
    schedule: false,
    superviseIntervalSeconds: supervise,
    monitorIntervalSeconds: supervise,
  })
  // pg-boss reports its own failures (the database away, a slow query) as events: logged, never a crash
  boss.on('error', (error) => logger.warn({ err: error }, 'job queue error'))
  try {
    await boss.start()
    const { policy, ...settings } = deliveryQueueOptions(c)
    // created once; on every start after that its retry settings follow the configuration
    if (await boss.getQueue(DELIVERY_QUEUE)) await boss.updateQueue(DELIVERY_QUEUE, settings)
    else await boss.createQueue(DELIVERY_QUEUE, { policy, ...settings })
    // reads the queue into pg-boss's cache now: on the embedded database the relay's insert,
    // made inside its transaction, could not read it there (PGlite has one connection)
    await boss.insert(DELIVERY_QUEUE, [])
  } catch (error) {
    // a start that failed part-way (the database away) leaves no pool or timer behind
    await boss.stop({ graceful: false, close: true }).catch(() => {})
    throw error
  }
  return boss
}
