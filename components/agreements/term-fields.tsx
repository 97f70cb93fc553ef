import type { TermDefinition, TermValues } from '@/lib/agreements/arrangement-terms'
import { TERM_FIELD_PREFIX } from '@/lib/forms/term-fields'
import { displayValue, termLabel } from '@/lib/agreements/term-display'

const fieldClass =
  'mt-1 block min-h-10 w-full rounded-lg bg-card px-3 text-[0.9375rem] text-ink ring-1 ring-line ring-inset focus-visible:ring-2 focus-visible:ring-brand-strong focus-visible:outline-none'

/**
 * The inputs for an arrangement's terms, named `term.<key>`: a choice as a select on
 * its current value or default, text as an optional input (empty keeps the default).
 * `form` ties them to a form elsewhere on the page; opening shows every term,
 * changing only the changeable ones. No next-intl here: it also renders inside client
 * forms, which get their words from the server (`locale`, `optionalLabel`).
 */
export function TermFields({
  terms,
  values = {},
  mode,
  idPrefix,
  form,
  locale,
  optionalLabel,
}: {
  terms: readonly TermDefinition[]
  values?: TermValues
  mode: 'open' | 'change'
  idPrefix: string
  form?: string
  locale: string
  optionalLabel: string
}) {
  const shown = mode === 'change' ? terms.filter((term) => term.changeable) : terms
  return (
    <div className="space-y-3">
      {shown.map((term) => {
        const id = `${idPrefix}-${term.key}`
        const label = termLabel(term, locale)
        return (
          <div key={term.key} className="text-sm">
            <label htmlFor={id} className="text-muted">
              {label}
              {term.type === 'text' && !term.required ? <span className="ml-1 text-xs">({optionalLabel})</span> : null}
            </label>
            {term.type === 'choice' ? (
              <select
                id={id}
                name={`${TERM_FIELD_PREFIX}${term.key}`}
                form={form}
                defaultValue={values[term.key] ?? term.default ?? term.options[0]?.value}
                className={fieldClass}
                data-testid={`term-${term.key}`}
              >
                {term.options.map((option) => (
                  <option key={option.value} value={option.value}>
                    {option.label[locale.startsWith('en') ? 'en' : 'zh']}
                  </option>
                ))}
              </select>
            ) : (
              <input
                id={id}
                name={`${TERM_FIELD_PREFIX}${term.key}`}
                form={form}
                type="text"
                maxLength={term.maxLength}
                required={term.required && term.default === undefined}
                // a masked value is not put back into the page; the placeholder shows it hidden
                defaultValue={term.masked ? '' : (values[term.key] ?? '')}
                placeholder={displayValue(term, values[term.key] ?? term.default, locale) ?? ''}
                autoComplete="off"
                className={fieldClass}
                data-testid={`term-${term.key}`}
              />
            )}
          </div>
        )
      })}
    </div>
  )
}
