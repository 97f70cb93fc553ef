import { z } from 'zod'
import { invalidArgument } from '@/lib/errors'
import { MAX_TERMS, MAX_TEXT_LENGTH, TERM_KEY, type TermDefinition, type TermValues } from '@/lib/agreements/arrangement-terms'
import { displayTextProblem, charCount } from '@/lib/validation/display-text'
import { parseInput, type InputProblem } from '@/lib/validation/parse'

// A user's values of an arrangement's terms, checked in two steps: their shape
// (before anything is read or an Idempotency-Key is taken, like the other fields),
// then against the arrangement's definitions once it is known, by a zod schema built
// from those definitions. Every failure is code 10 naming the field, `propertyValues.<key>`.

const FIELD = 'propertyValues'
const UNKNOWN_TERM = 'is not a term of this arrangement'
const NOT_A_NAME = 'has a name that is not a term of this arrangement'

/** The first problem as code 10: a field of the values is `propertyValues.<key>`; a name that is not a term name is not echoed back (it may be kilobytes long), only `propertyValues`. */
function refuse(problems: InputProblem[], issues: z.core.$ZodIssue[]): Error {
  const issue = issues[0]
  if (issue?.code === 'unrecognized_keys') return invalidArgument(`${FIELD}.${issue.keys[0]}`, UNKNOWN_TERM)
  const { field, reason } = problems[0] ?? { field: '', reason: 'is invalid' }
  return invalidArgument(field ? `${FIELD}.${field}` : FIELD, reason)
}

/** One line of text, trimmed, by the display-text rule. */
const oneLine = (max: number) =>
  z
    .string({ error: 'must be a string' })
    .trim()
    .superRefine((s, ctx) => {
      const problem = displayTextProblem(s, max)
      if (problem) ctx.addIssue({ code: 'custom', message: problem })
    })

/** The shape: an object of at most 8 term names, each mapped to a single-line string of at most 100 characters; an empty value is no value. */
const valuesShape = z
  .custom<Record<string, unknown>>((input) => typeof input === 'object' && input !== null && !Array.isArray(input), {
    message: 'must be an object of term names and text values',
    abort: true,
  })
  .refine((values) => Object.keys(values).length <= MAX_TERMS, { message: `must hold at most ${MAX_TERMS} values`, abort: true })
  // the names are read here, on the object as given: a record schema passes over a key named __proto__
  .refine((values) => Object.keys(values).every((key) => TERM_KEY.test(key)), { message: NOT_A_NAME, abort: true })
  .pipe(z.record(z.string(), oneLine(MAX_TEXT_LENGTH)))
  // an empty value is no value: the default applies
  .transform((values): TermValues => Object.fromEntries(Object.entries(values).filter(([, value]) => value !== '')))

/** The shape of the values given: absent is none. */
export function parseTermValues(input: unknown): TermValues {
  if (input === undefined || input === null) return {}
  return parseInput(valuesShape, input, refuse)
}

/** A value of the term `t`: one of its options, or text within its length. */
function termValue(t: TermDefinition) {
  if (t.type === 'choice') {
    const options = t.options.map((o) => o.value)
    return z.string().refine((value) => options.includes(value), `must be one of ${options.join(', ')}`)
  }
  return z.string().refine((value) => charCount(value) <= t.maxLength, `must be at most ${t.maxLength} characters`)
}

/** Values of these terms only, each valid, none required. */
const givenValues = (terms: readonly TermDefinition[]) =>
  z.object(Object.fromEntries(terms.map((t) => [t.key, termValue(t).optional()]))).catchall(z.never())

/** Opening: every value a term's and valid; the defaults fill what is not given; then a required term without either → 10. */
const openingValues = (terms: readonly TermDefinition[]) =>
  givenValues(terms)
    .transform((given: Record<string, string | undefined>) => {
      const values: Record<string, string | undefined> = {}
      for (const t of terms) {
        const value = given[t.key] ?? t.default
        if (value !== undefined && value !== '') values[t.key] = value
      }
      return values
    })
    .pipe(z.object(Object.fromEntries(terms.map((t) => [t.key, t.required ? z.string({ error: 'is required' }) : z.string().optional()]))))

/**
 * A schema built once per set of terms: zod compiles an object schema on its first
 * parse, which costs more than the parse, and the terms a call checks against are the
 * same shared, frozen array every time (arrangementTerms keeps each document's).
 */
function builtOnce<S>(build: (terms: readonly TermDefinition[]) => S): (terms: readonly TermDefinition[]) => S {
  const built = new WeakMap<readonly TermDefinition[], S>()
  return (terms) => {
    let schema = built.get(terms)
    if (!schema) built.set(terms, (schema = build(terms)))
    return schema
  }
}

const openingSchema = builtOnce(openingValues)

export function valuesForOpening(terms: readonly TermDefinition[], given: TermValues): TermValues {
  return parseInput(openingSchema(terms), given, refuse) as TermValues
}

/** Changing: at least one value, every one a term's and valid, and then every one a term the user may change. */
const changedValues = (terms: readonly TermDefinition[]) =>
  z
    .record(z.string(), z.string().optional())
    .refine((given) => Object.keys(given).length > 0, { message: 'must name at least one term to change', abort: true })
    .pipe(givenValues(terms))
    .pipe(
      z.object(
        Object.fromEntries(terms.map((t) => [t.key, t.changeable ? z.string().optional() : z.never({ error: 'cannot be changed after opening' }).optional()])),
      ),
    )

const changeSchema = builtOnce(changedValues)

export function valuesForChange(terms: readonly TermDefinition[], given: TermValues): TermValues {
  parseInput(changeSchema(terms), given, refuse)
  return given
}
