import { RateLimiterPrisma, type RateLimiterRes } from 'rate-limiter-flexible'
import { prisma } from '@/lib/db'
import { config } from '@/lib/config'
import { DomainError, ResultCode } from '@/lib/errors'

// Failed logins are counted per login key and per client address, in the
// database so that every app instance sees the same counts. Unknown login keys
// are counted exactly like known ones: the answer reveals nothing extra.
type Limiters = { byAccount: RateLimiterPrisma; byAddress: RateLimiterPrisma }
let limiters: Limiters | undefined

function get(): Limiters {
  if (limiters) return limiters
  const c = config()
  const common = { storeClient: prisma, tableName: 'rateLimit', duration: c.LOGIN_BLOCK_SECONDS, clearExpiredByTimeout: false }
  limiters = {
    byAccount: new RateLimiterPrisma({ ...common, keyPrefix: `${c.FC_TENANT_ID}:login:account`, points: c.LOGIN_MAX_FAILURES }),
    // an address may carry many people (NAT, offices): a looser limit
    byAddress: new RateLimiterPrisma({ ...common, keyPrefix: `${c.FC_TENANT_ID}:login:address`, points: c.LOGIN_MAX_FAILURES * 10 }),
  }
  return limiters
}

const exhausted = (res: RateLimiterRes | null, points: number) => res !== null && res.consumedPoints >= points

/** Throws code 05 with the seconds to wait when either counter is used up. */
export async function assertNotThrottled(loginKey: string, ip: string | undefined): Promise<void> {
  const { byAccount, byAddress } = get()
  const [account, address] = await Promise.all([byAccount.get(loginKey), ip ? byAddress.get(ip) : null])
  const blocked = [
    exhausted(account, byAccount.points) ? account : null,
    exhausted(address, byAddress.points) ? address : null,
  ].filter((r): r is RateLimiterRes => r !== null)
  if (blocked.length) {
    const retryAfterSeconds = Math.max(1, Math.ceil(Math.max(...blocked.map((r) => r.msBeforeNext)) / 1000))
    throw new DomainError(ResultCode.TOO_MANY_ATTEMPTS, { retryAfterSeconds })
  }
}

export async function recordFailedLogin(loginKey: string, ip: string | undefined): Promise<void> {
  const { byAccount, byAddress } = get()
  // penalty() counts without throwing when the limit is reached
  await Promise.all([byAccount.penalty(loginKey), ip ? byAddress.penalty(ip) : null])
}

export async function clearFailedLogins(loginKey: string): Promise<void> {
  await get().byAccount.delete(loginKey)
}
