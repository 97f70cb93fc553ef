import './globals.css'
import type { Metadata, Viewport } from 'next'
import type { ReactNode } from 'react'
import localFont from 'next/font/local'
import { unstable_rethrow } from 'next/navigation'
import { getLocale, getTranslations } from 'next-intl/server'
import { SessionWatch } from '@/components/auth/session-watch'
import { ErrorTextProvider } from '@/components/layout/error-text'
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
  const [locale, t, errors, userName] = await Promise.all([
    getLocale(),
    getTranslations('a11y'),
    getTranslations('errors'),
    signedInName(),
  ])
  // No NextIntlClientProvider: pages translate on the server and hand client components
  // plain strings, so neither next-intl's runtime nor the catalogue is in the browser's
  // first load (docs/architecture.md#translations-in-the-browser).
  const errorText = {
    busyTitle: errors('busyTitle'),
    busyBody: errors('busyBody'),
    retry: errors('retry'),
    home: errors('home'),
    reference: errors.raw('reference') as string,
  }
  return (
    <html lang={locale === 'zh' ? 'zh-CN' : locale} className={inter.variable}>
      <body className="font-sans antialiased">
        <ErrorTextProvider text={errorText}>
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
        </ErrorTextProvider>
      </body>
    </html>
  )
}
