// The accounts scripts/e2e-users.ts creates for the test suites, e2e01…e2e70@example.com, one
// password for all; each suite takes users of its own so that single-device login never crosses suites.
export const E2E_PASSWORD = 'e2e-password-Ω1'
export const E2E_USER_COUNT = 70
export const e2eUser = (n: number) => {
  if (!Number.isInteger(n) || n < 1 || n > E2E_USER_COUNT) throw new Error(`e2eUser(${n}): the pool is e2e01…e2e${E2E_USER_COUNT}`)
  const id = String(n).padStart(2, '0')
  return { email: `e2e${id}@example.com`, password: E2E_PASSWORD, userId: `E2E00000000000${id}`, name: `E2E ${id}` }
}

// The Playwright suite's merchant (scripts/e2e-merchant.ts): it holds product 00000002 and
// signs in with this fixed test key, as the e2e accounts do with E2E_PASSWORD.
export const E2E_MERCHANT = {
  id: 'M0000000000000099',
  name: '上海公共交通乘车码',
  productCode: '00000002',
  keyId: 'mk_e2e0e2e0e2e0e2e0e2e0e2e0',
  secret: 'mks_e2e-merchant-test-key-not-a-secret-00000000',
} as const
export const e2eMerchantAuthorization = `Bearer ${E2E_MERCHANT.keyId}.${E2E_MERCHANT.secret}`
