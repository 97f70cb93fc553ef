'use server'

import { cookies } from 'next/headers'
import { z } from 'zod'
import { isLocale, LOCALE_COOKIE } from '@/lib/i18n/locale'
import { formAction } from '@/app/actions/form-action'

// the switch's form has no fields of its own: the language is bound to the action
const switchForm = z.object({})

// a switch that is not one of ours changes nothing
const ignore = () => undefined

/**
 * Remembers the visitor's language for a year. Used as a form action
 * (`setLocale.bind(null, 'en')`), so the switch also works without JavaScript.
 * Anything but a supported locale is ignored.
 */
export async function setLocale(locale: string, formData?: unknown): Promise<void> {
  return formAction(switchForm, { malformed: ignore, crossOrigin: ignore }, async () => {
    if (!isLocale(locale)) return
    const store = await cookies()
    store.set(LOCALE_COOKIE, locale, {
      path: '/',
      maxAge: 365 * 24 * 3600,
      sameSite: 'lax',
    })
  })(formData)
}
