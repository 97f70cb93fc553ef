import { createTranslator } from 'next-intl'
import type { ResultCode } from '@/lib/errors'
import { DEFAULT_LOCALE, localeFromAcceptLanguage, type Locale } from '@/lib/i18n/locale'
import en from '@/messages/en.json'
import zh from '@/messages/zh.json'

const translators = {
  zh: createTranslator({ locale: 'zh', messages: zh, namespace: 'codes', onError: () => {} }),
  en: createTranslator({ locale: 'en', messages: en, namespace: 'codes', onError: () => {} }),
}

export type CodeValues = { seconds?: number; field?: string; reason?: string }

// Most answers carry a code with no values ("00" above all): formatting it again on every
// call was a measurable share of a list call's CPU (docs/operations.md#benchmarks), so those are kept.
// Only those: with values, the keys would grow with what callers send.
const plain = new Map<string, string>()

/** The `desc` of a result code in the caller's language (messages/<locale>.json, `codes.<code>`). */
export function describeCode(code: ResultCode, locale: Locale, values: CodeValues = {}): string {
  const { seconds = 0, field = '', reason = '' } = values
  const withoutValues = seconds === 0 && field === '' && reason === ''
  const key = `${locale}:${code}`
  const known = withoutValues ? plain.get(key) : undefined
  if (known !== undefined) return known
  const text = translators[locale](code, { seconds, field, reason }).trim()
  if (withoutValues) plain.set(key, text)
  return text
}

/** The locale for an Accept-Language header: the caller's best supported one, else Chinese. */
export function pickLocale(acceptLanguage: string | null | undefined): Locale {
  return localeFromAcceptLanguage(acceptLanguage) ?? DEFAULT_LOCALE
}
