// The Playwright suite's merchant (scripts/e2e-merchant.ts): it holds product 00000002 and
// signs in with this fixed test key. One merchant, as a product has at most one: the specs
// that need a merchant of their own make one (createMerchant, tests/support/db-utils.ts).
export const E2E_MERCHANT = {
  id: 'M0000000000000099',
  name: '上海公共交通乘车码',
  productCode: '00000002',
  keyId: 'mk_e2e0e2e0e2e0e2e0e2e0e2e0',
  secret: 'mks_e2e-merchant-test-key-not-a-secret-00000000',
} as const
export const e2eMerchantAuthorization = `Bearer ${E2E_MERCHANT.keyId}.${E2E_MERCHANT.secret}`
