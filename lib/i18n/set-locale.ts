import { cookies } from 'next/headers'
import { isLocale, LOCALE_COOKIE } from '@/lib/i18n/locale'

/**
 * Server action: remember the visitor's language for a year. Used as a form action
 * (`setLocale.bind(null, 'en')`), so the switch also works without JavaScript.
 * Anything but a supported locale is ignored.
 */
export async function setLocale(locale: string): Promise<void> {
  'use server'
  if (!isLocale(locale)) return
  const store = await cookies()
  store.set(LOCALE_COOKIE, locale, {
    path: '/',
    maxAge: 365 * 24 * 3600,
    sameSite: 'lax',
  })
}
