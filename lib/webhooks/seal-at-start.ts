import type { Logger } from 'pino'
import { prisma } from '@/lib/db'
import { dataKeyring } from '@/lib/sealing/keyring'
import { resealSigningSecrets } from '@/lib/webhooks/reseal-signing-secrets'

/**
 * At start: the signing secrets an earlier release stored in clear are sealed and
 * their plain columns emptied (a migration cannot: it does not know the key). Until
 * then deliveries read them in clear, so there is no moment without a secret. A
 * failure does not stop the start: the next start, or `npm run admin -- webhook:reseal`, does it.
 */
export async function sealPlainSigningSecrets(log: Logger): Promise<void> {
  try {
    const { resealed } = await resealSigningSecrets(prisma, dataKeyring(), { onlyPlain: true })
    if (resealed > 0) log.info({ resealed }, 'sealed the webhook signing secrets stored in clear by an earlier release')
  } catch (error) {
    log.warn({ err: error }, 'could not seal the webhook signing secrets stored in clear; `npm run admin -- webhook:reseal` does it')
  }
}
