import { getTranslations } from 'next-intl/server'
import { setLocale } from '@/app/actions/set-locale'

/**
 * Switches to the other language. A plain form posting a server action, so it works
 * before (or without) JavaScript; the page re-renders in the new language.
 * Its accessible name starts with the visible language name (WCAG 2.5.3, label in name),
 * spoken in that language, and goes on with what the button does, in the page's language.
 */
export async function LanguageSwitch() {
  const t = await getTranslations('locale')
  const target = t('switchToLang')
  return (
    <form action={setLocale.bind(null, target)}>
      <button
        type="submit"
        data-testid="language-switch"
        className="inline-flex min-h-9 items-center gap-1.5 rounded-full px-3 text-sm text-muted ring-1 ring-inset ring-line hover:bg-canvas hover:text-ink"
      >
        <svg aria-hidden="true" viewBox="0 0 20 20" fill="none" className="size-4">
          <circle cx="10" cy="10" r="7.25" stroke="currentColor" strokeWidth="1.5" />
          <path d="M2.75 10h14.5M10 2.75c2 2.1 3 4.5 3 7.25s-1 5.15-3 7.25c-2-2.1-3-4.5-3-7.25s1-5.15 3-7.25Z" stroke="currentColor" strokeWidth="1.5" />
        </svg>
        <span lang={target}>{t('switchTo')}</span>
        <span className="sr-only">{t('switchLabel')}</span>
      </button>
    </form>
  )
}
