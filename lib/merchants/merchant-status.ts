/** de_merchant.merchant_status, as stored. */
export const MerchantStatus = { ACTIVE: '1', DISABLED: '2' } as const
