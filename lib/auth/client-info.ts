import Bowser from 'bowser'
import { SIMULATED_PHONES } from '@/lib/demo/simulated-phones'

/** What a request says about the device it came from. */
export type ClientInfo = {
  userAgent?: string
  ip?: string
  /** the device's name when the caller knows it better than a user agent would say (the demo's simulated phones) */
  device?: string
}

// Anyone who knows an e-mail address can make a failed login of that account, with any
// User-Agent: the text would land on the owner's devices page ("Call … to unlock your
// account"). So a device is named only with the parser's own browser and system names
// and a version in digits; the header itself is never kept or shown.
const BROWSERS: readonly string[] = Object.values(Bowser.BROWSER_MAP)
const SYSTEMS: readonly string[] = Object.values(Bowser.OS_MAP)
const BROWSER_VERSION = /^\d{1,6}$/
// digits, or the parser's own release names (Windows "NT 4.0", macOS "Big Sur", Android "Pie"):
// no shape that could carry a number to call or an address to visit
const SYSTEM_VERSION = /^(?:\d{1,4}(?:\.\d{1,4}){0,3}|[A-Z][A-Za-z]{1,12}(?: [A-Z][A-Za-z]{1,12})?|NT \d{1,2}\.\d|Server \d{4})$/

/** The header is cut to this many characters before it is parsed: the parser's work stays bounded. */
export const USER_AGENT_MAX_LENGTH = 512
/** The longest device name stored for a session or a login attempt. */
export const DEVICE_NAME_MAX_LENGTH = 100
/** What a login with no recognisable browser or system is recorded as. */
export const UNKNOWN_DEVICE = 'Unknown device'

/** "Chrome 156 · Linux": what the user recognises as their device, from known names only. */
export function describeDevice(userAgent: string | undefined): string {
  if (!userAgent) return UNKNOWN_DEVICE
  const { browser, os } = Bowser.getParser(userAgent.slice(0, USER_AGENT_MAX_LENGTH)).getResult()
  const browserName = browser.name && BROWSERS.includes(browser.name) ? browser.name : undefined
  const major = browser.version?.split('.')[0]
  const systemName = os.name && SYSTEMS.includes(os.name) ? os.name : undefined
  // "10.15.7" as it is; Windows' "NT 10.0" by its release name, "10"
  const systemVersion = [os.version, os.versionName].find((v) => v !== undefined && (/^[\d.]+$/.test(v) || v === os.versionName) && SYSTEM_VERSION.test(v))
  const parts = [
    browserName && [browserName, major && BROWSER_VERSION.test(major) ? major : undefined].filter(Boolean).join(' '),
    systemName && [systemName, systemVersion].filter(Boolean).join(' '),
  ].filter(Boolean)
  return parts.length ? parts.join(' · ').slice(0, DEVICE_NAME_MAX_LENGTH) : UNKNOWN_DEVICE
}

/** `text` is a known name (as a whole, or followed by a version of the given shape). */
function named(text: string, names: readonly string[], version: RegExp): boolean {
  return names.some((name) => text === name || (text.startsWith(`${name} `) && version.test(text.slice(name.length + 1))))
}

/**
 * A stored device name as it may be shown: one that describeDevice could have made, or a
 * demo phone; null for anything else (rows written before names were checked held the
 * header itself), which the page shows as an unknown browser.
 */
export function shownDevice(stored: string): string | null {
  if ((SIMULATED_PHONES as readonly string[]).includes(stored)) return stored
  const parts = stored.split(' · ')
  const browserOk = (text: string) => named(text, BROWSERS, BROWSER_VERSION)
  const systemOk = (text: string) => named(text, SYSTEMS, SYSTEM_VERSION)
  const ok = parts.length === 2 ? browserOk(parts[0]) && systemOk(parts[1]) : parts.length === 1 && (browserOk(parts[0]) || systemOk(parts[0]))
  return ok ? stored : null
}
