import { createTranslator } from 'next-intl'
import type { ResultCode } from '@/lib/errors'
import en from '@/messages/en.json'
import zh from '@/messages/zh.json'

export type Locale = 'zh' | 'en'

const translators = {
  zh: createTranslator({ locale: 'zh', messages: zh, namespace: 'codes', onError: () => {} }),
  en: createTranslator({ locale: 'en', messages: en, namespace: 'codes', onError: () => {} }),
}

export type CodeValues = { seconds?: number; field?: string; reason?: string }

/** The `desc` of a result code in the caller's language (messages/<locale>.json, `codes.<code>`). */
export function describeCode(code: ResultCode, locale: Locale, values: CodeValues = {}): string {
  const { seconds = 0, field = '', reason = '' } = values
  return translators[locale](code, { seconds, field, reason }).trim()
}

/**
 * The locale for an Accept-Language header: English when the caller prefers
 * English over Chinese, Chinese (the product's first language) otherwise.
 */
export function pickLocale(acceptLanguage: string | null | undefined): Locale {
  let best: { locale: Locale; q: number } | undefined
  for (const part of (acceptLanguage ?? '').split(',')) {
    const [tag, ...params] = part.trim().toLowerCase().split(';')
    const language = tag.split('-')[0]
    if (language !== 'en' && language !== 'zh') continue
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='))
    const q = qParam ? Number(qParam.slice(2)) : 1
    if (!Number.isFinite(q) || q <= 0) continue
    if (!best || q > best.q) best = { locale: language, q }
  }
  return best?.locale ?? 'zh'
}
