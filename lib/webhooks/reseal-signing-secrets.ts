import type { PrismaClient } from '@/lib/generated/prisma/client'
import type { Keyring } from '@/lib/sealing/data-keys'
import { openSigningSecret, sealSigningSecret } from '@/lib/webhooks/signing-secret'

type Row = {
  tenantId: string
  merchantId: string
  plainSecret: string | null
  plainPreviousSecret: string | null
  sealedSecret: string | null
  secretKeyId: string | null
  sealedPreviousSecret: string | null
  previousKeyId: string | null
}

const BATCH = 100

/**
 * Seals every signing secret under the keyring's current key: those still in clear
 * (written by an earlier release) and, unless `onlyPlain`, those sealed with another
 * key. Each row is written in one statement that seals it and empties its plain
 * columns, and only if it is still what was read (a rotation of the signing secret
 * meanwhile wins; that row is done again at the next run): a delivery reads either
 * the plain secret or the sealed one, never neither.
 */
export async function resealSigningSecrets(db: PrismaClient, keyring: Keyring, options: { onlyPlain?: boolean } = {}): Promise<{ resealed: number }> {
  const current = keyring.current.id
  const plain = [{ plainSecret: { not: null } }, { plainPreviousSecret: { not: null } }]
  const stale = [{ secretKeyId: { not: current } }, { previousKeyId: { not: current } }]
  const where = { OR: options.onlyPlain ? plain : [...plain, ...stale] }
  let resealed = 0
  // keyset pagination: a row that cannot be changed (raced) is not read again in this run
  let after: { tenantId: string; merchantId: string } | undefined
  for (;;) {
    const rows: Row[] = await db.webhookEndpoint.findMany({
      where: after ? { AND: [where, { OR: [{ tenantId: { gt: after.tenantId } }, { tenantId: after.tenantId, merchantId: { gt: after.merchantId } }] }] } : where,
      orderBy: [{ tenantId: 'asc' }, { merchantId: 'asc' }],
      take: BATCH,
    })
    for (const row of rows) resealed += await resealRow(db, keyring, row)
    if (rows.length < BATCH) return { resealed }
    after = rows[rows.length - 1]
  }
}

async function resealRow(db: PrismaClient, keyring: Keyring, row: Row): Promise<number> {
  const endpoint = { tenantId: row.tenantId, merchantId: row.merchantId }
  const secret = secretOf(keyring, row.plainSecret, row.sealedSecret, row.secretKeyId, endpoint)
  const previous = secretOf(keyring, row.plainPreviousSecret, row.sealedPreviousSecret, row.previousKeyId, endpoint)
  const sealed = secret === null ? null : sealSigningSecret(keyring, secret, endpoint)
  const sealedPrevious = previous === null ? null : sealSigningSecret(keyring, previous, endpoint)
  const { count } = await db.webhookEndpoint.updateMany({
    where: { ...endpoint, plainSecret: row.plainSecret, plainPreviousSecret: row.plainPreviousSecret, sealedSecret: row.sealedSecret, sealedPreviousSecret: row.sealedPreviousSecret },
    data: {
      plainSecret: null,
      plainPreviousSecret: null,
      sealedSecret: sealed?.sealed ?? null,
      secretKeyId: sealed?.keyId ?? null,
      sealedPreviousSecret: sealedPrevious?.sealed ?? null,
      previousKeyId: sealedPrevious?.keyId ?? null,
    },
  })
  return count
}

/** The secret in clear, from the plain column of an earlier release or the sealed one. */
function secretOf(keyring: Keyring, plain: string | null, sealed: string | null, keyId: string | null, endpoint: { tenantId: string; merchantId: string }): string | null {
  if (sealed !== null && keyId !== null) return openSigningSecret(keyring, { sealed, keyId }, endpoint)
  return plain
}
