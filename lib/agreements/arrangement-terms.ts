import { z } from 'zod'
import { charCount as chars, hasControlCharacter } from '@/lib/validation/display-text'

// An arrangement's terms (docs/product.md#terms-of-an-arrangement): de_ar.properties
// holds their definitions as versioned JSON, and each open agreement keeps the user's
// values of them in de_user_ar_rel.property_values. A new kind of arrangement brings
// its own terms as data (the admin command line), never as code.

// Bounds chosen so that any set of values fits de_user_ar_rel.property_values
// (varchar 2048) as JSON: 8 terms × (a 32-character key + a 100-character value,
// escaped at worst to twice its length, + quotes) stays under 2,048 characters.
export const MAX_TERMS = 8
export const MAX_KEY_LENGTH = 32
export const MAX_TEXT_LENGTH = 100
const MAX_OPTIONS = 20

/** A term's name: a letter, then at most 31 letters, digits or _. */
export const TERM_KEY = /^[A-Za-z][A-Za-z0-9_]{0,31}$/

const label = (max: number) =>
  z.string().trim().min(1, 'is required').refine((s) => chars(s) <= max, `must be at most ${max} characters`)
const localized = z.object({ zh: label(64), en: label(64) }, { error: 'must be {"zh": …, "en": …}' }).strict()

const option = z
  .object({
    value: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, "must be 1 to 32 letters, digits, '-' or '_'"),
    label: localized,
  })
  .strict()

const common = {
  key: z.string().regex(TERM_KEY, 'must start with a letter and hold at most 32 letters, digits or _'),
  label: localized,
  required: z.boolean().default(false),
  changeable: z.boolean().default(false),
  // shown with most characters hidden (an account number, a phone number)
  masked: z.boolean().default(false),
}

const textTerm = z
  .object({
    ...common,
    type: z.literal('text'),
    maxLength: z.number().int().min(1).max(MAX_TEXT_LENGTH).default(MAX_TEXT_LENGTH),
    default: z.string().optional(),
  })
  .strict()

const choiceTerm = z
  .object({
    ...common,
    type: z.literal('choice'),
    options: z.array(option).min(1, 'must offer at least one option').max(MAX_OPTIONS),
    default: z.string().optional(),
  })
  .strict()

const term = z.discriminatedUnion('type', [textTerm, choiceTerm], { error: 'type must be "text" or "choice"' }).superRefine((t, ctx) => {
  if (t.type === 'choice') {
    const values = t.options.map((o) => o.value)
    if (new Set(values).size !== values.length) ctx.addIssue({ code: 'custom', path: ['options'], message: 'has the same value twice' })
    if (t.default !== undefined && !values.includes(t.default)) ctx.addIssue({ code: 'custom', path: ['default'], message: 'must be one of the options' })
  } else if (t.default !== undefined && (chars(t.default) > t.maxLength || hasControlCharacter(t.default))) {
    ctx.addIssue({ code: 'custom', path: ['default'], message: `must be at most ${t.maxLength} characters, without control characters` })
  }
})

/** The versioned JSON in de_ar.properties. */
export const termsDocument = z
  .object({
    version: z.literal(1, { error: 'must be 1' }),
    properties: z.array(term).max(MAX_TERMS, `must hold at most ${MAX_TERMS} terms`),
  })
  .strict()
  .superRefine((doc, ctx) => {
    const keys = doc.properties.map((p) => p.key)
    keys.forEach((key, i) => {
      if (keys.indexOf(key) !== i) ctx.addIssue({ code: 'custom', path: ['properties', i, 'key'], message: `${key} is used twice` })
    })
  })

export type TermDefinition = z.output<typeof term>
export type TermValues = Record<string, string>

/** An arrangement's terms as read from de_ar.properties: shared, so never changed. */
export type ArrangementTerms = { readonly terms: readonly TermDefinition[]; readonly legacyNames: readonly string[] }

const NO_TERMS: ArrangementTerms = Object.freeze({ terms: Object.freeze([]), legacyNames: Object.freeze([]) })

function readTerms(raw: string): ArrangementTerms {
  let parsed: unknown
  try {
    parsed = JSON.parse(raw)
  } catch {
    return { terms: [], legacyNames: raw.split(/[,，]/).map((s) => s.trim()).filter(Boolean) }
  }
  const doc = termsDocument.safeParse(parsed)
  if (doc.success) return { terms: doc.data.properties, legacyNames: [] }
  const list = (parsed as { properties?: unknown } | null)?.properties ?? parsed
  return { terms: [], legacyNames: Array.isArray(list) ? list.filter((p): p is string => typeof p === 'string') : [] }
}

function frozen<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const inner of Object.values(value)) frozen(inner)
    Object.freeze(value)
  }
  return value
}

// Every detail, open and sign request reads its arrangement's terms, and there are few
// documents (one per arrangement version), each never changed under its text: each is
// read once, checked against the schema once, and kept frozen. A bound keeps a flood of
// versions from growing the process.
const KEPT_DOCUMENTS = 256
const kept = new Map<string, ArrangementTerms>()

/**
 * The terms of an arrangement. Anything but a valid document (a legacy list of
 * names, text that is not JSON) is read as no terms that can be given values; its
 * names are still shown (`legacyNames`).
 */
export function arrangementTerms(raw: string | null): ArrangementTerms {
  if (!raw) return NO_TERMS
  let terms = kept.get(raw)
  if (!terms) {
    if (kept.size >= KEPT_DOCUMENTS) kept.clear()
    terms = frozen(readTerms(raw))
    kept.set(raw, terms)
  }
  return terms
}

/** The names an arrangement's terms are shown by, in the locale's language. */
export function arrangementProperties(raw: string | null, locale: 'zh' | 'en' = 'zh'): string[] {
  return propertyNames(arrangementTerms(raw), locale)
}

function propertyNames({ terms, legacyNames }: ArrangementTerms, locale: 'zh' | 'en'): string[] {
  return terms.length > 0 ? terms.map((t) => t.label[locale]) : [...legacyNames]
}

/** An arrangement as the catalogue and a detail show it: its names, its terms' labels (zh) and their definitions. */
export type ArrangementView = { number: string; name: string; version: string; type: string; properties: string[]; terms: readonly TermDefinition[] }

export function arrangementView(a: { number: string; name: string; version: string; type: string; properties: string | null }): ArrangementView {
  const read = arrangementTerms(a.properties)
  return { number: a.number, name: a.name, version: a.version, type: a.type, properties: propertyNames(read, 'zh'), terms: read.terms }
}

/** Stored values (property_values), or none when the column is empty or not an object of strings. */
export function storedValues(raw: string | null): TermValues {
  if (!raw) return {}
  try {
    const parsed: unknown = JSON.parse(raw)
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return {}
    return Object.fromEntries(Object.entries(parsed).filter((e): e is [string, string] => typeof e[1] === 'string'))
  } catch {
    return {}
  }
}

/** The values in effect: what was stored, and each term's default where nothing was. */
export function effectiveValues(terms: readonly TermDefinition[], stored: TermValues): TermValues {
  const values: TermValues = {}
  for (const t of terms) {
    const value = stored[t.key] ?? t.default
    if (value !== undefined && value !== '') values[t.key] = value
  }
  return values
}

/** JSON of values with its keys sorted, so that equal values are equal text (stored, hashed). */
export const valuesJson = (values: TermValues) =>
  JSON.stringify(Object.fromEntries(Object.entries(values).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))))
