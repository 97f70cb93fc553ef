import { z } from 'zod'
import { AdminError } from '@/lib/admin/errors'

// Field schemas shared by the admin commands. Lengths are the columns' (prisma/schema.prisma;
// docs/product.md#entities-and-tables).

/** Validates `input`, or throws AdminError('invalid') naming every bad field and why. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input)
  if (result.success) return result.data
  const problems = result.error.issues.map((issue) => `${issue.path.join('.') || 'input'}: ${issue.message}`)
  throw new AdminError('invalid', problems.join('; '))
}

const string = () =>
  z.string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be a string') })

export const text = (max: number) =>
  string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`)

export const optionalText = (max: number) => text(max).optional()

/** Keys such as product codes and arrangement numbers: printable, no spaces. */
export const code = (max: number) =>
  text(max).regex(/^[A-Za-z0-9_-]+$/, "may contain only letters, digits, '-' and '_'")

export const email = string()
  .trim()
  .toLowerCase()
  .max(255, 'must be at most 255 characters')
  .pipe(z.email('must be a valid e-mail address'))

export const userId = text(32)

/** Exactly one way of naming a user. */
export const userRef = z
  .object({ email: email.optional(), userId: userId.optional() })
  .refine((ref) => (ref.email === undefined) !== (ref.userId === undefined), 'give either an e-mail or a user id')

export type UserRef = z.input<typeof userRef>

// a duplicate key, however the driver reports it: the same test as the domain's
export { isUniqueViolation } from '@/lib/db/unique-violation'
