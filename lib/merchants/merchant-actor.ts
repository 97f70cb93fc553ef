/** The merchant acting through the API: always taken from a checked API key, never from a request body. */
export type MerchantActor = {
  tenantId: string
  merchantId: string
  keyId: string
}
