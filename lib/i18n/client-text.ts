import { getTranslations } from 'next-intl/server'

/**
 * The messages a client component shows, translated on the server and handed to it as
 * plain strings. The browser then needs neither next-intl's runtime nor the catalogue:
 * that keeps every page's first-load JS within its budget (docs/architecture.md#translations-in-the-browser).
 * The keys are listed at the call, and the component's text type checks that none is missing.
 */
export async function clientText<K extends string>(namespace: string, keys: readonly K[]): Promise<Record<K, string>> {
  const t = await getTranslations(namespace)
  // the catalogue is not typed (no global messages declaration), so a key is any string
  const translate = t as unknown as (key: string) => string
  return Object.fromEntries(keys.map((key) => [key, translate(key)])) as Record<K, string>
}
