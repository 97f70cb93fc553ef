import { createHash } from 'node:crypto'
import { prisma, runStatement } from '@/lib/db'
import type { RunStatement } from '@/lib/db/client'
import { countOn, rowsOn } from '@/lib/db/on-prisma'
import { removeExpiredIdempotencyRecord } from '@/lib/db/statements/expired-idempotency-record'
import type { Prisma } from '@/lib/generated/prisma/client'
import { DomainError, invalidArgument, ResultCode } from '@/lib/errors'
import type { Actor } from '@/lib/auth/actor'
import { isUniqueViolation } from '@/lib/db/unique-violation'

/** What a domain statement runs on: straight to the driver, or in the key's transaction. */
export type Executor = RunStatement

export const inTransaction = (tx: Prisma.TransactionClient): Executor => rowsOn(tx)

/** What an Idempotency-Key may be: 1 to 255 visible ASCII characters. */
export const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/

/** How long a key is replayed (Stripe's rule); older records are pruned (prune-expired.ts). */
export const IDEMPOTENCY_TTL_HOURS = 24

/**
 * Idempotency-Key semantics (as Stripe's): the first request with a key runs and
 * its answer is stored in the same transaction; a retry with the same key and
 * body within 24 hours gets that answer again without running; the same key with
 * another body is refused (10). A concurrent duplicate waits on the key's row and
 * then replays, so the operation runs once. After 24 hours the key is free again:
 * its expired record is removed and the request runs as a first one.
 */
export async function runIdempotent(
  actor: Actor,
  operation: string,
  request: object,
  key: string | undefined,
  run: (db: Executor) => Promise<void>,
  expiredRecordRemoved = false,
): Promise<void> {
  if (key === undefined || key === '') return run(runStatement)
  if (!IDEMPOTENCY_KEY.test(key)) throw invalidArgument('Idempotency-Key', 'must be 1 to 255 visible ASCII characters')
  const where = { tenantId_userId_key: { tenantId: actor.tenantId, userId: actor.userId, key } }
  const requestHash = createHash('sha256').update(JSON.stringify([operation, request])).digest('hex')
  let code: string
  try {
    code = await prisma.$transaction(async (tx) => {
      await tx.idempotencyRecord.create({ data: { tenantId: actor.tenantId, userId: actor.userId, key, requestHash } })
      let result: string = ResultCode.OK
      try {
        await run(inTransaction(tx))
      } catch (error) {
        if (!(error instanceof DomainError)) throw error
        result = error.code
      }
      await tx.idempotencyRecord.update({ where, data: { response: result } })
      return result
    })
  } catch (error) {
    if (!isUniqueViolation(error)) throw error
    // the key's record is older than the replay window: remove it (by the database's clock, as pruning does) and run afresh, once
    if (!expiredRecordRemoved && (await removeExpired(actor, key)) > 0) return runIdempotent(actor, operation, request, key, run, true)
    const first = await prisma.idempotencyRecord.findUnique({ where })
    if (!first?.response) throw error
    if (first.requestHash !== requestHash) throw invalidArgument('Idempotency-Key', 'was already used with a different request')
    code = first.response
  }
  if (code !== ResultCode.OK) throw new DomainError(code as DomainError['code'])
}

const removeExpired = (actor: Actor, key: string) =>
  removeExpiredIdempotencyRecord.count(countOn(prisma), { tenantId: actor.tenantId, userId: actor.userId, key, ttlHours: IDEMPOTENCY_TTL_HOURS })
