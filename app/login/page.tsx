import type { Metadata } from 'next'
import { redirect } from 'next/navigation'
import { getLocale, getTranslations } from 'next-intl/server'
import { BrandMark } from '@/components/layout/brand-mark'
import { LoginForm, type DemoAccount } from '@/components/auth/login-form'
import { Notice } from '@/components/ui/notice'
import { LocalTime } from '@/components/time/local-time'
import { clientText } from '@/lib/i18n/client-text'
import { safeReturnPath } from '@/lib/auth/return-path'
import { getSession, loginElsewhere, sessionEndReason } from '@/lib/auth/session-guard'
import { listDemoAccounts } from '@/lib/admin/demo-accounts'

type SearchParams = Promise<Record<string, string | string[] | undefined>>

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('login')
  return { title: t('title') }
}

const one = (value: string | string[] | undefined) => (typeof value === 'string' ? value : undefined)

export default async function LoginPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams
  const next = safeReturnPath(one(params.next))
  if (await getSession()) redirect(next)

  const [t, locale] = await Promise.all([getTranslations('login'), getLocale()])
  const reason = one(params.reason)
  // the link only asks for the notice; what it says comes from this browser's own ended session
  // ('ended': a page told live that its session ended, for whatever reason)
  const elsewhere = reason === 'elsewhere' || reason === 'ended' ? await loginElsewhere() : null
  const endedBy = reason === 'ended' && !elsewhere ? await sessionEndReason() : null
  const at = elsewhere?.at
  // the reader's own clock, with its zone named: "09:30" alone could be read in any zone
  const when = () =>
    at ? <LocalTime iso={at.toISOString()} locale={locale} showZone testId="signed-elsewhere-time" /> : t('unknownTime')
  const device = elsewhere?.device || t('unknownDevice')
  // empty unless demo mode is on, on a database marked demo
  const demoAccounts: DemoAccount[] = await listDemoAccounts()

  return (
    <div className="mx-auto max-w-md">
      <div className="mb-6 flex flex-col items-center text-center sm:mb-8">
        <BrandMark className="size-14" />
        <h1 className="mt-4 text-[1.375rem] font-semibold tracking-tight">{t('heading')}</h1>
        <p className="mt-1 max-w-xs text-sm text-muted">{t('subtitle')}</p>
      </div>
      {elsewhere ? (
        <Notice tone="warning" title={t('elsewhereTitle')} className="mb-4" data-testid="signed-elsewhere-notice">
          <p>{t.rich('elsewhere', { when, device })}</p>
          <p className="mt-1">{t('elsewhereHint')}</p>
        </Notice>
      ) : reason === 'ended' ? (
        <Notice tone="info" title={t('signedOutTitle')} className="mb-4" data-testid="signed-out-notice">
          {endedBy === 'LOGOUT' ? t('signedOutLogout') : endedBy === 'ADMIN' ? t('signedOutAdmin') : endedBy === 'REFRESH_REUSE' ? t('signedOutReuse') : t('signedOut')}
        </Notice>
      ) : reason === 'expired' ? (
        <Notice tone="info" className="mb-4" data-testid="session-expired-notice">
          {t('expired')}
        </Notice>
      ) : null}
      <LoginForm
        next={next}
        demoAccounts={demoAccounts}
        text={await clientText('login', [
          'email',
          'password',
          'submit',
          'submitting',
          'showPassword',
          'hidePassword',
          'demoTitle',
          'demoHint',
          'demoUse',
          'demoEmail',
          'demoPassword',
        ])}
      />
    </div>
  )
}
