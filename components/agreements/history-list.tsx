import { useLocale, useTranslations } from 'next-intl'
import { LocalTime } from '@/components/time/local-time'
import type { TermDefinition, TermValues } from '@/lib/agreements/arrangement-terms'
import { termsSummary } from '@/lib/agreements/term-display'

export type HistoryEntry = {
  action: 'OPEN' | 'CLOSE' | 'CHANGE'
  outcomeCode: string
  at: Date
  device: string | null
  values: TermValues
  /** who acted: the user (on `device`), the merchant (with its reason) or an administrator */
  actorType?: string
  reason?: string | null
}

const DOT: Record<HistoryEntry['action'], string> = { OPEN: 'bg-brand', CHANGE: 'bg-brand/60', CLOSE: 'bg-muted/50' }

// codes whose message needs details the history does not keep
const CODES_WITH_DETAILS = new Set(['05', '10'])

/** Every open, change and close of this agreement, in the order they happened, with the values an open or change set. */
export function HistoryList({ entries, terms }: { entries: HistoryEntry[]; terms: readonly TermDefinition[] }) {
  const t = useTranslations()
  const locale = useLocale()
  const summary = (values: TermValues) =>
    termsSummary(terms, values, locale, (label, value) => t('terms.pair', { label, value }), t('terms.separator'))
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
                !ok ? 'bg-danger' : DOT[entry.action]
              }`}
            />
            <div className="min-w-0 flex-1 text-sm">
              <p className="flex flex-wrap items-baseline justify-between gap-x-3">
                <span className="font-medium">
                  {t(`detail.action${entry.action}`)}
                  <span className={`ml-2 font-normal ${ok ? 'text-muted' : 'text-danger'}`}>
                    {ok ? t('detail.outcomeOk') : t('detail.outcomeFailed', { reason })}
                  </span>
                </span>
                {/* with its zone: a record is read later, maybe elsewhere */}
                <LocalTime iso={entry.at.toISOString()} locale={locale} showZone className="text-xs text-muted tabular-nums" testId="history-time" />
              </p>
              {summary(entry.values) ? (
                <p className="mt-0.5 text-xs text-muted" data-testid="history-values">
                  {t('detail.values', { values: summary(entry.values) })}
                </p>
              ) : null}
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
