import type { Metadata } from 'next'
import { getLocale, getTranslations } from 'next-intl/server'
import { SignOutButton } from '@/components/devices/sign-out-button'
import { DemoSignInElsewhere } from '@/components/devices/demo-sign-in-elsewhere'
import { DeviceIcon } from '@/components/devices/device-icon'
import { PageHeading } from '@/components/ui/page-heading'
import { Card, Section } from '@/components/ui/card'
import { StatusBadge } from '@/components/ui/status-badge'
import { LocalTime } from '@/components/time/local-time'
import { requireSession } from '@/lib/auth/session-guard'
import { getDevices, type RecentLoginOutcome } from '@/lib/auth/devices'
import { demoModeActive } from '@/lib/db/database-mark'

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('devices')
  return { title: t('title') }
}

const OUTCOME_TONE: Record<RecentLoginOutcome, 'brand' | 'neutral' | 'warning' | 'danger'> = {
  SUCCESS: 'brand',
  WRONG_PASSWORD: 'danger',
  UNKNOWN_USER: 'danger',
  THROTTLED: 'warning',
  KICKED_OUT: 'warning',
  SIGNED_OUT: 'neutral',
  EXPIRED: 'neutral',
}

export default async function DevicesPage() {
  const session = await requireSession('/devices')
  const [devices, t, locale, demo] = await Promise.all([getDevices(session.actor), getTranslations('devices'), getLocale(), demoModeActive()])
  // sign-ins are checked for ones that were not the user's: the zone is named with each time
  const when = (d: Date, className?: string) => <LocalTime iso={d.toISOString()} locale={locale} showZone className={className} />
  const channelKey = `channels.${devices.current.channel.toLowerCase()}`
  const channel = t.has(channelKey) ? t(channelKey) : devices.current.channel

  return (
    <>
      <PageHeading title={t('heading')} intro={t('intro')} />
      <div className="space-y-6">
        <Section title={t('current')} id="current-device-title">
          <div className="flex items-center gap-3 p-4" data-testid="current-device">
            <DeviceIcon />
            <div className="min-w-0 flex-1">
              <p className="truncate font-medium">{devices.current.device ?? t('unknownBrowser')}</p>
              <p className="mt-0.5 text-sm text-muted">
                {t.rich('since', { date: () => when(devices.current.since) })}
              </p>
              <p className="text-xs text-muted">{t('channel', { channel })}</p>
            </div>
          </div>
        </Section>

        <Section title={t('recent')} id="recent-logins-title">
          {devices.recent.length === 0 ? (
            <p className="px-4 py-5 text-center text-sm text-muted">{t('recentEmpty')}</p>
          ) : (
            <ul className="divide-y divide-line" data-testid="recent-logins">
              {devices.recent.map((entry, index) => (
                <li
                  key={`${entry.at.toISOString()}-${index}`}
                  className="flex items-center gap-3 px-4 py-3"
                  data-testid="recent-login"
                  data-outcome={entry.outcome}
                >
                  <div className="min-w-0 flex-1">
                    <p className="truncate text-sm">{entry.device ?? t('unknownBrowser')}</p>
                    {when(entry.at, 'text-xs text-muted tabular-nums')}
                  </div>
                  <StatusBadge tone={OUTCOME_TONE[entry.outcome] ?? 'neutral'}>{t(`outcome.${entry.outcome}`)}</StatusBadge>
                </li>
              ))}
            </ul>
          )}
        </Section>

        {demo ? (
          <Section title={t('demo.title')} id="demo-sign-in-elsewhere-title">
            <DemoSignInElsewhere
              text={{
                hint: t('demo.hint'),
                device: t('demo.device'),
                continue: t('demo.continue'),
                signingIn: t('demo.signingIn'),
                submit: t('demo.submit'),
              }}
            />
          </Section>
        ) : null}

        <Card className="p-4">
          <SignOutButton />
        </Card>
      </div>
    </>
  )
}
