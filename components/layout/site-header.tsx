import Link from 'next/link'
import { getTranslations } from 'next-intl/server'
import { BrandMark } from '@/components/layout/brand-mark'
import { LanguageSwitch } from '@/components/layout/language-switch'
import { MainNav } from '@/components/layout/main-nav'

/** Product name, language switch and — once signed in — the user's name and the three tabs. */
export async function SiteHeader({ userName }: { userName: string | null }) {
  const t = await getTranslations()
  const signedIn = userName !== null
  return (
    <header className="sticky top-0 z-20 border-b border-line bg-white/95 backdrop-blur supports-[backdrop-filter]:bg-white/85">
      <div className="mx-auto flex h-14 max-w-2xl items-center gap-3 px-4">
        <Link href={signedIn ? '/services' : '/login'} className="flex min-w-0 items-center gap-2.5 rounded-lg">
          <BrandMark />
          <span className="truncate text-[1.0625rem] font-semibold">{t('app.name')}</span>
        </Link>
        <div className="ml-auto flex items-center gap-3">
          {signedIn ? (
            <span className="hidden max-w-48 truncate text-sm text-muted sm:inline" data-testid="signed-in-user">
              {t('common.signedInAs', { name: userName })}
            </span>
          ) : null}
          <LanguageSwitch />
        </div>
      </div>
      {signedIn ? (
        <div className="mx-auto max-w-2xl sm:px-2">
          <MainNav
            label={t('a11y.mainNav')}
            items={[
              { href: '/services', label: t('nav.services') },
              { href: '/services/open', label: t('nav.open') },
              { href: '/devices', label: t('nav.devices') },
            ]}
          />
        </div>
      ) : null}
    </header>
  )
}
