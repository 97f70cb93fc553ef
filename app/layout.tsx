import './globals.css'
import type { Metadata, Viewport } from 'next'
import type { ReactNode } from 'react'
import localFont from 'next/font/local'
import { unstable_rethrow } from 'next/navigation'
import { NextIntlClientProvider } from 'next-intl'
import { getLocale, getTranslations } from 'next-intl/server'
import { SessionWatch } from '@/components/auth/session-watch'
import { SiteHeader } from '@/components/layout/site-header'
import { getSession } from '@/lib/auth/session-guard'

// Offline-safe: the font file comes from the npm package, not from Google. Inter covers
// Latin text and digits; Chinese falls through to the system CJK fonts in --font-sans.
const inter = localFont({
  src: '../node_modules/@fontsource-variable/inter/files/inter-latin-wght-normal.woff2',
  variable: '--font-inter',
  weight: '100 900',
  display: 'swap',
})

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('app')
  return {
    title: { default: t('name'), template: t('titleTemplate', { page: '%s' }) },
    description: t('description'),
    icons: { icon: '/icon.svg' },
  }
}

export const viewport: Viewport = {
  themeColor: '#ffffff',
  width: 'device-width',
  initialScale: 1,
}

/** The header shows who is signed in; if the session store is unreachable the page itself says so, not the header. */
async function signedInName(): Promise<string | null> {
  try {
    const session = await getSession()
    return session ? session.user.name || session.user.email : null
  } catch (error) {
    unstable_rethrow(error)
    return null
  }
}

export default async function RootLayout({ children }: { children: ReactNode }) {
  const [locale, t, userName] = await Promise.all([getLocale(), getTranslations('a11y'), signedInName()])
  return (
    <html lang={locale === 'zh' ? 'zh-CN' : locale} className={inter.variable}>
      <body className="font-sans antialiased">
        <NextIntlClientProvider>
          <a
            href="#main"
            className="sr-only z-50 rounded-full bg-brand-strong px-4 py-2 text-sm font-medium text-white focus:not-sr-only focus:fixed focus:top-2 focus:left-2"
          >
            {t('skipToContent')}
          </a>
          <SiteHeader userName={userName} />
          {/* a signed-in page learns at once when its session ends elsewhere */}
          {userName !== null ? <SessionWatch /> : null}
          <main id="main" tabIndex={-1} className="mx-auto w-full max-w-2xl px-4 pt-6 pb-16 outline-none sm:pt-10">
            {children}
          </main>
        </NextIntlClientProvider>
      </body>
    </html>
  )
}
