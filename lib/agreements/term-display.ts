// How a term's value is shown, on pages and in the API's display fields. No
// validation library here: client components import it.
import type { TermDefinition, TermValues } from '@/lib/agreements/arrangement-terms'

/**
 * Most of a value hidden, as a receipt shows an account: 138****5678 for a
 * mobile number; shorter values keep less.
 */
export function maskValue(value: string): string {
  const c = [...value]
  const [head, tail] = c.length >= 11 ? [3, 4] : c.length >= 7 ? [2, 2] : c.length >= 3 ? [1, 1] : [0, 0]
  return c.slice(0, head).join('') + '*'.repeat(Math.max(c.length - head - tail, 1)) + c.slice(c.length - tail).join('')
}

/** A value as shown: the option's label for a choice, masked text where the term says so. */
export function displayValue(t: TermDefinition, value: string | undefined, locale: string): string | undefined {
  if (value === undefined || value === '') return undefined
  const lang = locale.startsWith('en') ? 'en' : 'zh'
  if (t.type === 'choice') return t.options.find((o) => o.value === value)?.label[lang] ?? value
  return t.masked ? maskValue(value) : value
}

/** A term's label in the locale's language. */
export const termLabel = (t: TermDefinition, locale: string) => t.label[locale.startsWith('en') ? 'en' : 'zh']

/**
 * "扣款方式：零钱优先；开通账号：138****5678" — the values given, in the terms' order,
 * each through `pair` (the catalogue's `terms.pair`), joined by `separator`.
 */
export function termsSummary(
  terms: readonly TermDefinition[],
  values: TermValues,
  locale: string,
  pair: (label: string, value: string) => string,
  separator: string,
): string {
  return terms
    .map((t) => {
      const value = displayValue(t, values[t.key], locale)
      return value === undefined ? undefined : pair(termLabel(t, locale), value)
    })
    .filter((p): p is string => p !== undefined)
    .join(separator)
}
