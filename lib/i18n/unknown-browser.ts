import type { Locale } from '@/lib/i18n/locale'
import en from '@/messages/en.json'
import zh from '@/messages/zh.json'

/** What the API says of a login whose device is not a known browser or system (the page's own words). */
export function unknownBrowser(locale: Locale): string {
  return (locale === 'en' ? en : zh).devices.unknownBrowser
}
