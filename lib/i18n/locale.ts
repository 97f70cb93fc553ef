// No locale in the URL: the language is a preference kept in a cookie, so every
// route has one address in both languages (Chinese by default, English on request: docs/product.md#screens).
export const LOCALES = ['zh', 'en'] as const
export type Locale = (typeof LOCALES)[number]
export const DEFAULT_LOCALE: Locale = 'zh'
export const LOCALE_COOKIE = 'NEXT_LOCALE'
/**
 * The zone of anything the server itself formats. Pages show times in the viewer's own zone
 * (components/time/local-time.tsx): the server cannot know that zone, so what it writes is UTC.
 */
export const TIME_ZONE = 'UTC'

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value)
}

/**
 * The best supported locale in an Accept-Language header ("en-GB,en;q=0.9,zh;q=0.8"),
 * or null when none is acceptable.
 */
export function localeFromAcceptLanguage(header: string | null | undefined): Locale | null {
  if (!header) return null
  const ranked = header
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';')
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='))
      const quality = q ? Number(q.slice(2)) : 1
      return { base: tag.trim().toLowerCase().split('-')[0], quality: Number.isFinite(quality) ? quality : 0, index }
    })
    .filter((entry) => entry.quality > 0)
    .sort((a, b) => b.quality - a.quality || a.index - b.index)
  return ranked.map((entry) => entry.base).find(isLocale) ?? null
}

/**
 * A request's locale, without i18n routing: the cookie set by the language switch wins,
 * then the browser's Accept-Language, then Chinese (the product's first language).
 */
export function requestLocale(chosen: string | undefined, acceptLanguage: string | null | undefined): Locale {
  if (isLocale(chosen)) return chosen
  return localeFromAcceptLanguage(acceptLanguage) ?? DEFAULT_LOCALE
}
