import { cookies, headers } from 'next/headers'
import { getRequestConfig } from 'next-intl/server'
import { DEFAULT_LOCALE, isLocale, LOCALE_COOKIE, localeFromAcceptLanguage, TIME_ZONE, type Locale } from '@/lib/i18n/locale'

// next-intl without i18n routing: the cookie set by the language switch wins, then the
// browser's Accept-Language, then Chinese (the product's first language).
async function requestLocale(): Promise<Locale> {
  const chosen = (await cookies()).get(LOCALE_COOKIE)?.value
  if (isLocale(chosen)) return chosen
  return localeFromAcceptLanguage((await headers()).get('accept-language')) ?? DEFAULT_LOCALE
}

export default getRequestConfig(async () => {
  const locale = await requestLocale()
  return {
    locale,
    timeZone: TIME_ZONE,
    messages: (await import(`../messages/${locale}.json`)).default,
  }
})
