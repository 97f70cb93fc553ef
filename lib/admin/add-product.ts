import { z } from 'zod'
import type { PrismaClient } from '@/lib/generated/prisma/client'
import { config } from '@/lib/config'
import { newOrConflict } from '@/lib/admin/errors'
import { adminRefusal, code, optionalText, text } from '@/lib/admin/validation'
import { parseInput } from '@/lib/validation/parse'

const schema = z.object({
  code: code(32),
  name: text(255),
  description: text(2048),
  orgName: text(2048),
  memo: optionalText(255),
})

export type AddProductInput = z.input<typeof schema>
export type AddedProduct = z.output<typeof schema>

/** Adds a product to the tenant's catalogue; its code must be new. */
export async function addProduct(db: PrismaClient, input: AddProductInput): Promise<AddedProduct> {
  const product = parseInput(schema, input, adminRefusal)
  await newOrConflict(() => db.product.create({ data: { tenantId: config().FC_TENANT_ID, ...product } }), `product ${product.code} already exists`)
  return product
}
