import { z } from 'zod'
import { loginKey as email, text } from '@/lib/validation/fields'
import { AdminError } from '@/lib/admin/errors'
import type { InputProblem } from '@/lib/validation/parse'

// Field schemas shared by the admin commands. Lengths are the columns' (prisma/schema.prisma;
// docs/product.md#entities-and-tables).

/** How the command line refuses an input (parseInput's third argument): AdminError('invalid') naming every bad field and why. */
export const adminRefusal = (problems: InputProblem[]) =>
  new AdminError('invalid', problems.map((p) => `${p.field || 'input'}: ${p.reason}`).join('; '))

// the same text and e-mail rules as the API's fields (lengths in characters, no control characters)
export { email, text }
export const optionalText = (max: number) => text(max).optional()

/** Keys such as product codes and arrangement numbers: printable, no spaces. */
export const code = (max: number) =>
  text(max).regex(/^[A-Za-z0-9_-]+$/, "may contain only letters, digits, '-' and '_'")

export const userId = text(32)

/** Exactly one way of naming a user. */
export const userRef = z
  .object({ email: email.optional(), userId: userId.optional() })
  .refine((ref) => (ref.email === undefined) !== (ref.userId === undefined), 'give either an e-mail or a user id')

export type UserRef = z.input<typeof userRef>

