import { useLocale, useTranslations } from 'next-intl'
import { LocalTime } from '@/components/time/local-time'

export type HistoryEntry = { action: 'OPEN' | 'CLOSE'; outcomeCode: string; at: Date; device: string | null }

// codes whose message needs details the history does not keep
const CODES_WITH_DETAILS = new Set(['05', '10'])

/** Every open and close of this service, in the order they happened. */
export function HistoryList({ entries }: { entries: HistoryEntry[] }) {
  const t = useTranslations()
  const locale = useLocale()
  if (entries.length === 0) {
    return <p className="px-4 py-5 text-center text-sm text-muted">{t('detail.historyEmpty')}</p>
  }
  return (
    <ol className="divide-y divide-line" data-testid="history-list">
      {entries.map((entry, index) => {
        const ok = entry.outcomeCode === '00'
        const reason =
          !ok && t.has(`codes.${entry.outcomeCode}`) && !CODES_WITH_DETAILS.has(entry.outcomeCode)
            ? t(`codes.${entry.outcomeCode}`)
            : t('form.failed')
        return (
          <li
            key={`${entry.at.toISOString()}-${index}`}
            className="flex gap-3 px-4 py-3"
            data-testid="history-entry"
            data-action={entry.action}
            data-code={entry.outcomeCode}
          >
            <span
              aria-hidden="true"
              className={`mt-2 size-2 shrink-0 rounded-full ${
                !ok ? 'bg-danger' : entry.action === 'OPEN' ? 'bg-brand' : 'bg-muted/50'
              }`}
            />
            <div className="min-w-0 flex-1 text-sm">
              <p className="flex flex-wrap items-baseline justify-between gap-x-3">
                <span className="font-medium">
                  {t(entry.action === 'OPEN' ? 'detail.actionOPEN' : 'detail.actionCLOSE')}
                  <span className={`ml-2 font-normal ${ok ? 'text-muted' : 'text-danger'}`}>
                    {ok ? t('detail.outcomeOk') : t('detail.outcomeFailed', { reason })}
                  </span>
                </span>
                {/* with its zone: a record is read later, maybe elsewhere */}
                <LocalTime iso={entry.at.toISOString()} locale={locale} showZone className="text-xs text-muted tabular-nums" testId="history-time" />
              </p>
              <p className="mt-0.5 truncate text-xs text-muted">
                {t('detail.device', { device: entry.device ?? t('detail.unknownDevice') })}
              </p>
            </div>
          </li>
        )
      })}
    </ol>
  )
}
