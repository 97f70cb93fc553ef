import { z } from 'zod'
import { invalidArgument } from '@/lib/errors'

/**
 * Every server action reads its form through here first. What reaches an action is
 * whatever the request decoded to: a form, but also a string, a list, nothing, or a
 * form with a file, a repeated field or a field of megabytes. A form of our pages has
 * each field once, as text; anything else is refused as code 10 naming the field, so
 * that the action answers a form error rather than failing. The schema then says which
 * fields the action takes and how long each may be; the domain checks their values.
 */

// far above any form of ours (the open form has a handful of terms)
const MAX_FIELDS = 32
const MAX_NAME_CHARS = 128

// Next's plumbing for forms posted without JavaScript, not the form's own fields
const NEXT_FIELD = /^\$ACTION_/

/** A text field of at most `max` characters (UTF-16 units: an outer bound only, the domain counts precisely). */
export const formText = (max: number) =>
  z.string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be text') }).max(max, `must be at most ${max} characters`)

/** The form's fields as the schema takes them; throws code 10 for anything a page's form would not send. */
export function readActionForm<S extends z.ZodType>(formData: unknown, schema: S): z.output<S> {
  if (!(formData instanceof FormData)) throw invalidArgument('form', 'is not a form')
  // no prototype: a field named __proto__ is a field like any other
  const fields = Object.create(null) as Record<string, string>
  let count = 0
  for (const [name, value] of formData.entries()) {
    if (NEXT_FIELD.test(name)) continue
    const shown = name.slice(0, MAX_NAME_CHARS)
    if (name.length > MAX_NAME_CHARS) throw invalidArgument(shown, `has a name longer than ${MAX_NAME_CHARS} characters`)
    if (typeof value !== 'string') throw invalidArgument(shown, 'must be text, not a file')
    if (Object.hasOwn(fields, name)) throw invalidArgument(shown, 'is given more than once')
    if (++count > MAX_FIELDS) throw invalidArgument('form', `has more than ${MAX_FIELDS} fields`)
    fields[name] = value
  }
  const result = schema.safeParse(fields)
  if (result.success) return result.data
  const issue = result.error.issues[0]
  throw invalidArgument(issue?.path.join('.') || 'form', issue?.message ?? 'is invalid')
}
