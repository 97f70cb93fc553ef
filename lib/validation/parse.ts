import type { z } from 'zod'
import { invalidArgument } from '@/lib/errors'

/** One problem of an input: the field's path (empty for the input as a whole) and why. */
export type InputProblem = { field: string; reason: string }

/** How a door refuses an input: by default code 10 naming the first problem's field and why. */
export type Refusal = (problems: InputProblem[], issues: z.core.$ZodIssue[]) => Error

const firstAsCode10: Refusal = (problems) => invalidArgument(problems[0]?.field || 'request', problems[0]?.reason ?? 'is invalid')

/**
 * The one parser of every door's input (the API, the forms, the admin command line):
 * parses with a shared schema, and refuses with every problem, in order, through
 * `refuse` — code 10 naming the first unless the door says otherwise.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, refuse: Refusal = firstAsCode10): z.output<S> {
  const result = schema.safeParse(input)
  if (result.success) return result.data
  const issues = result.error.issues
  throw refuse(
    issues.map((issue) => ({ field: issue.path.join('.'), reason: issue.message })),
    issues,
  )
}
