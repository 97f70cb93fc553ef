import { invalidArgument } from '@/lib/errors'
import { MAX_TERMS, MAX_TEXT_LENGTH, type TermDefinition, type TermValues } from '@/lib/services/arrangement-properties'

// A user's values of an arrangement's terms, checked in two steps: their shape
// (before anything is read or an Idempotency-Key is taken, like the other fields),
// then against the arrangement's definitions once it is known. Every failure is
// code 10 naming the field, `propertyValues.<key>`.

const FIELD = 'propertyValues'
const KEY = /^[A-Za-z][A-Za-z0-9_]{0,31}$/
const CONTROL = /[\p{Cc}\u2028\u2029]/u
const chars = (s: string) => [...s].length

/** The shape: absent, or an object of at most 8 term names, each mapped to a single-line string of at most 100 characters. */
export function parseTermValues(input: unknown): TermValues {
  if (input === undefined || input === null) return {}
  if (typeof input !== 'object' || Array.isArray(input)) throw invalidArgument(FIELD, 'must be an object of term names and text values')
  const entries = Object.entries(input)
  if (entries.length > MAX_TERMS) throw invalidArgument(FIELD, `must hold at most ${MAX_TERMS} values`)
  const values: TermValues = {}
  for (const [key, value] of entries) {
    // a name that is not a term's is not echoed back: it may be kilobytes long
    if (!KEY.test(key)) throw invalidArgument(FIELD, 'has a name that is not a term of this arrangement')
    if (typeof value !== 'string') throw invalidArgument(`${FIELD}.${key}`, 'must be a string')
    const trimmed = value.trim()
    if (chars(trimmed) > MAX_TEXT_LENGTH) throw invalidArgument(`${FIELD}.${key}`, `must be at most ${MAX_TEXT_LENGTH} characters`)
    if (CONTROL.test(trimmed)) throw invalidArgument(`${FIELD}.${key}`, 'must not contain control characters')
    // an empty value is no value: the default applies
    if (trimmed !== '') values[key] = trimmed
  }
  return values
}

function checkValue(t: TermDefinition, value: string): void {
  const field = `${FIELD}.${t.key}`
  if (t.type === 'choice') {
    if (!t.options.some((o) => o.value === value)) throw invalidArgument(field, `must be one of ${t.options.map((o) => o.value).join(', ')}`)
  } else if (chars(value) > t.maxLength) {
    throw invalidArgument(field, `must be at most ${t.maxLength} characters`)
  }
}

function checkKnown(terms: TermDefinition[], values: TermValues): void {
  for (const key of Object.keys(values)) {
    const t = terms.find((d) => d.key === key)
    if (!t) throw invalidArgument(`${FIELD}.${key}`, 'is not a term of this arrangement')
    checkValue(t, values[key])
  }
}

/** Opening: every value a term's and valid; the defaults fill what is not given; a required term without either → 10. */
export function valuesForOpening(terms: TermDefinition[], given: TermValues): TermValues {
  checkKnown(terms, given)
  const values: TermValues = {}
  for (const t of terms) {
    const value = given[t.key] ?? t.default
    if (value === undefined || value === '') {
      if (t.required) throw invalidArgument(`${FIELD}.${t.key}`, 'is required')
      continue
    }
    values[t.key] = value
  }
  return values
}

/** Changing: at least one value, every one a term's the user may change, and valid. */
export function valuesForChange(terms: TermDefinition[], given: TermValues): TermValues {
  if (Object.keys(given).length === 0) throw invalidArgument(FIELD, 'must name at least one term to change')
  checkKnown(terms, given)
  for (const key of Object.keys(given)) {
    if (!terms.find((d) => d.key === key)?.changeable) throw invalidArgument(`${FIELD}.${key}`, 'cannot be changed after opening')
  }
  return given
}
