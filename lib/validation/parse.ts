import type { z } from 'zod'
import { invalidArgument } from '@/lib/errors'

/** Parses with a shared schema; the first problem becomes code 10 naming the field and why. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input)
  if (result.success) return result.data
  const issue = result.error.issues[0]
  throw invalidArgument(issue?.path.join('.') || 'request', issue?.message ?? 'is invalid')
}
