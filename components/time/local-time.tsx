'use client'

import { useSyncExternalStore } from 'react'
import { formatInstant, type TimeStyle } from '@/lib/i18n/format-instant'

const noSubscription = () => () => {}

/**
 * A time in the viewer's own time zone. The server cannot know that zone when it renders
 * the page, so the HTML (and the first render in the browser, which must match it) carries
 * the time in UTC, labelled "UTC" — right for a reader without JavaScript, never a wrong
 * local time. Once hydrated, the browser re-renders it with Intl in its own zone.
 * `showZone` adds the zone's name where a bare clock time could be misread (docs/product.md#screens).
 */
export function LocalTime({
  iso,
  locale,
  style = 'dateTime',
  showZone = false,
  className,
  testId,
}: {
  iso: string
  locale: string
  style?: TimeStyle
  showZone?: boolean
  className?: string
  testId?: string
}) {
  const inBrowser = useSyncExternalStore(noSubscription, () => true, () => false)
  const text = inBrowser
    ? formatInstant(iso, locale, style, showZone)
    : formatInstant(iso, locale, style, style === 'dateTime', 'UTC')
  return (
    <time dateTime={iso} className={className} data-testid={testId} data-zone={inBrowser ? 'local' : 'utc'}>
      {text}
    </time>
  )
}
