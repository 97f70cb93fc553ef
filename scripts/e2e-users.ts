// Users for the Playwright suite, one or more per spec so that single-device
// login in one spec never signs out another's user.
import { prisma, closeDatabase } from '@/lib/db'
import { config } from '@/lib/config'
import { hashPassword } from '@/lib/auth/password'
import { E2E_PASSWORD, E2E_USER_COUNT } from '../tests/support/e2e-accounts'

const tenantId = config().FC_TENANT_ID
const passwordHash = await hashPassword(E2E_PASSWORD)
for (let i = 1; i <= E2E_USER_COUNT; i++) {
  const n = String(i).padStart(2, '0')
  const id = `E2E00000000000${n}`
  await prisma.user.upsert({ where: { tenantId_id: { tenantId, id } }, create: { tenantId, id, name: `E2E ${n}`, type: 'PERSONAL' }, update: {} })
  await prisma.credential.upsert({
    where: { tenantId_loginKey: { tenantId, loginKey: `e2e${n}@example.com` } },
    create: { tenantId, loginKey: `e2e${n}@example.com`, userId: id, passwordHash },
    update: {},
  })
}
await closeDatabase()
process.exit(0)
