import { useFormatter, useTranslations } from 'next-intl'

export type HistoryEntry = {
  action: 'OPEN' | 'CLOSE'
  outcomeCode: string
  at: Date
  device: string | null
  /** who acted: the user (on `device`), the merchant (with its reason) or an administrator */
  actorType?: string
  reason?: string | null
}

// codes whose message needs details the history does not keep
const CODES_WITH_DETAILS = new Set(['05', '10'])

/** Every open and close of this service, in the order they happened. */
export function HistoryList({ entries }: { entries: HistoryEntry[] }) {
  const t = useTranslations()
  const format = useFormatter()
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
            data-actor={entry.actorType ?? 'USER'}
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
                <time dateTime={entry.at.toISOString()} className="text-xs text-muted tabular-nums">
                  {format.dateTime(entry.at, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' })}
                </time>
              </p>
              <p className="mt-0.5 truncate text-xs text-muted">
                {entry.actorType === 'MERCHANT'
                  ? t('detail.byMerchant', { reason: entry.reason ?? '' })
                  : entry.actorType === 'ADMIN'
                    ? t('detail.byAdmin', { reason: entry.reason ?? '' })
                    : t('detail.device', { device: entry.device ?? t('detail.unknownDevice') })}
              </p>
            </div>
          </li>
        )
      })}
    </ol>
  )
}
