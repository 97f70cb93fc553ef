export type TimeStyle = 'date' | 'dateTime'

const OPTIONS: Record<TimeStyle, Intl.DateTimeFormatOptions> = {
  date: { year: 'numeric', month: 'long', day: 'numeric' },
  dateTime: { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' },
}

/**
 * An instant (ISO 8601) as the page shows it, in the page's language: in `timeZone`, or in
 * the zone of the process that runs it when undefined (in a browser, the viewer's own).
 * `showZone` appends the zone's short name ("GMT+8", "EST", "UTC").
 */
export function formatInstant(iso: string, locale: string, style: TimeStyle, showZone: boolean, timeZone?: string): string {
  return new Intl.DateTimeFormat(locale, { ...OPTIONS[style], timeZone, timeZoneName: showZone ? 'short' : undefined }).format(
    new Date(iso),
  )
}
